using Disentangle.Experiments;
using Disentangle.Io;
using Disentangle.Metrics;
using Disentangle.Runs;
using Disentangle.Training;

namespace Disentangle.Tests.Experiments;

public sealed class SweepResultsTests
{
    private static void FakeRun(string sweep, string name, TrainOptions options, double mcc, double validationLoss, string checkpoint = "best", bool ica = false)
    {
        var folder = new RunFolder(Path.Combine(sweep, "runs", name));
        folder.Create();
        ConfigFile.Save(folder.Config, options with { Out = folder.Path });
        var scores = new DisentanglementScores(mcc, mcc, null, 0.9, 0.5, 0.5, 0.9, [], [], [], 0.4, 0.4);
        var result = new EvaluationResult(folder.Path, options.Method, options.Steps, checkpoint, ica, "uniform", 10, [], scores,
            EvaluationResult.Sampled, ica ? 20 : null, validationLoss, null);
        JsonFiles.Write(folder.Evaluation(result.Name), result);
    }

    [Fact]
    public void Runs_are_read_with_their_c_setting_and_the_evaluated_checkpoints_validation_loss()
    {
        var sweep = Path.Combine(Path.GetTempPath(), $"disentangle-results-{Guid.NewGuid():N}");
        FakeRun(sweep, "a", new TrainOptions(LambdaRatio: 0.1, Coefficients: "block_support_2", Latents: "harder_gauss_0.9", Threads: 1), 0.8, 1.5);
        FakeRun(sweep, "b", new TrainOptions(LambdaRatio: 0.3, Coefficients: "block_support_6", Latents: "harder_gauss_0.9", Seed: 1, Threads: 2), 0.6, 3.0, checkpoint: "last");
        FakeRun(sweep, "c", new TrainOptions(Method: TrainMethod.OuterL1, OuterPenalty: 0.03, Coefficients: "block_support_2", Latents: "harder_gauss_0.9"), 0.5, 1.0);
        FakeRun(sweep, "d", new TrainOptions(Method: TrainMethod.OuterL2, OuterPenalty: 0.1, Coefficients: "block_support_2", Latents: "harder_gauss_0.9"), 0.4, 2.0);
        var runs = SweepResults.Collect(sweep, "rho");
        Assert.Equal(4, runs.Count);
        Assert.Equal([0.1, 0.3, 0.03, 0.1], runs.Select(r => r.C));                      // the outer methods' c is c_out
        Assert.Equal(["coefficients=block_support_2", "coefficients=block_support_6", "coefficients=block_support_2", "coefficients=block_support_2"],
            runs.Select(r => r.Setting));
        Assert.Equal([1.5, 3.0, 1.0, 2.0], runs.Select(r => r.ValidationLoss));          // (a thread count is no setting)
        Assert.Equal([0.3], SweepResults.Collect(sweep, "rho", CheckpointChoice.Last).Select(r => r.C));   // only b has a last-checkpoint evaluation
        Assert.All(runs, r => Assert.Equal(0.9, r.Rho));
        Assert.Throws<ArgumentException>(() => SweepResults.Collect(sweep, "nope"));
        Assert.Throws<DirectoryNotFoundException>(() => SweepResults.Collect(Path.Combine(sweep, "runs"), "rho"));
        Directory.Delete(sweep, true);
    }

    [Fact]
    public void With_x_the_support_size_each_run_sits_at_its_block_size_and_the_coefficients_are_no_setting()
    {
        var sweep = Path.Combine(Path.GetTempPath(), $"disentangle-results-{Guid.NewGuid():N}");
        FakeRun(sweep, "a", new TrainOptions(LambdaRatio: 0.1, Coefficients: "block_support_2", Latents: "harder_gauss_0.9"), 0.8, 1.5);
        FakeRun(sweep, "b", new TrainOptions(LambdaRatio: 0.1, Coefficients: "block_support_6", Latents: "harder_gauss_0.9", Seed: 1), 0.6, 3.0);
        var runs = SweepResults.Collect(sweep, "supportSize");
        Assert.Equal([2.0, 6.0], runs.Select(r => r.X));
        Assert.All(runs, r => Assert.Equal("", r.Setting));
        FakeRun(sweep, "c", new TrainOptions(LambdaRatio: 0.1, Coefficients: "laplace", Latents: "harder_gauss_0.9"), 0.5, 1.0);
        Assert.Contains("'laplace' have no support size", Assert.Throws<ArgumentException>(() => SweepResults.Collect(sweep, "supportSize")).Message);
        Directory.Delete(sweep, true);
    }

    [Fact]
    public void An_inner_ridge_run_evaluated_with_ica_gives_an_inner_ridge_ica_result_and_trains_own_evaluation_is_not_read()
    {
        var sweep = Path.Combine(Path.GetTempPath(), $"disentangle-results-{Guid.NewGuid():N}");
        var options = new TrainOptions(Method: TrainMethod.InnerRidge, Latents: "harder_gauss_0.9");
        FakeRun(sweep, "a", options, 0.4, 2.0);
        FakeRun(sweep, "a", options, 0.7, 2.0, ica: true);
        FakeRun(sweep, "a", options, 0.1, 2.0, checkpoint: "train");
        var runs = SweepResults.Collect(sweep, "rho");
        Assert.Equal(["inner-ridge", "inner-ridge-ica"], runs.Select(r => r.Method));
        Assert.Equal([0.4, 0.7], runs.Select(r => r.Scores.Mcc));
        Assert.Equal(["features-best-uniform.npy", "features-best-ica-uniform.npy"], runs.Select(r => Path.GetFileName(r.FeaturesPath)));
        Directory.Delete(sweep, true);
    }
}
