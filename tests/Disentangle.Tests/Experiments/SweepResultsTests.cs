using Disentangle.Experiments;
using Disentangle.Io;
using Disentangle.Metrics;
using Disentangle.Runs;
using Disentangle.Training;

namespace Disentangle.Tests.Experiments;

public sealed class SweepResultsTests
{
    private static void FakeRun(string sweep, string name, TrainOptions options, double mcc, double[] validationLosses)
    {
        var folder = new RunFolder(Path.Combine(sweep, "runs", name));
        folder.Create();
        ConfigFile.Save(folder.Config, options with { Out = folder.Path });
        var scores = new DisentanglementScores(mcc, mcc, null, 0.9, 0.5, 0.5, 0.9, [], [], [], 0.4, 0.4);
        JsonFiles.Write(folder.Metrics, new EvaluationReport(folder.Path, options.Method, options.Steps, CheckpointChoice.Best, false, [], [new("uniform", 10, scores)]));
        File.WriteAllText(folder.Log, "step,validation_loss\n" + string.Join("\n", validationLosses.Select((v, i) => FormattableString.Invariant($"{i},{v}"))) + "\n");
    }

    [Fact]
    public void Runs_are_read_with_their_c_setting_and_best_validation_loss()
    {
        var sweep = Path.Combine(Path.GetTempPath(), $"disentangle-results-{Guid.NewGuid():N}");
        FakeRun(sweep, "a", new TrainOptions(LambdaRatio: 0.1, Coefficients: "block_support_2", Latents: "harder_gauss_0.9"), 0.8, [2.0, 1.5, 1.7]);
        FakeRun(sweep, "b", new TrainOptions(LambdaRatio: 0.3, Coefficients: "block_support_6", Latents: "harder_gauss_0.9", Seed: 1), 0.6, [3.0]);
        FakeRun(sweep, "c", new TrainOptions(Method: TrainMethod.OuterL1, OuterPenalty: 0.03, Coefficients: "block_support_2", Latents: "harder_gauss_0.9"), 0.5, [1.0]);
        var runs = SweepResults.Collect(sweep, "rho");
        Assert.Equal(3, runs.Count);
        Assert.Equal([0.1, 0.3, 0.03], runs.Select(r => r.C));                           // outer-l1's c is c_out
        Assert.Equal(["coefficients=block_support_2", "coefficients=block_support_6", "coefficients=block_support_2"], runs.Select(r => r.Setting));
        Assert.Equal([1.5, 3.0, 1.0], runs.Select(r => r.ValidationLoss));
        Assert.All(runs, r => Assert.Equal(0.9, r.Rho));
        Assert.Throws<ArgumentException>(() => SweepResults.Collect(sweep, "nope"));
        Assert.Throws<DirectoryNotFoundException>(() => SweepResults.Collect(Path.Combine(sweep, "runs"), "rho"));
        Directory.Delete(sweep, true);
    }
}
