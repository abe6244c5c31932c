using Disentangle.Experiments;
using Disentangle.Io;
using Disentangle.Runs;
using Disentangle.Training;

namespace Disentangle.Tests.Experiments;

public sealed class LearningCurvesTests
{
    private static void FakeRun(string sweep, string name, TrainOptions options, string log)
    {
        var folder = new RunFolder(Path.Combine(sweep, "runs", name));
        folder.Create();
        ConfigFile.Save(folder.Config, options with { Out = folder.Path });
        File.WriteAllText(folder.Log, log);
    }

    [Fact]
    public void Every_logged_evaluation_is_a_point_at_the_runs_x_and_c_and_outer_l1_runs_sit_at_their_outer_penalty()
    {
        var sweep = Path.Combine(Path.GetTempPath(), $"disentangle-curves-{Guid.NewGuid():N}");
        const string log = "step,outer_loss,validation_loss,mcc,r\n50,0.5,,,\n500,0.4,1.5,0.7,0.9\n1000,0.3,1.2,0.8,0.95\n";
        FakeRun(sweep, "a", new TrainOptions(LambdaRatio: 0.3, Coefficients: "block_support_3", Latents: "harder_gauss_0.9"), log);
        FakeRun(sweep, "b", new TrainOptions(Method: TrainMethod.OuterL1, OuterPenalty: 0.03, Latents: "harder_gauss_0.5", Seed: 2), log);
        var points = LearningCurves.Collect(sweep, "rho");
        Assert.Equal([500L, 1000, 500, 1000], points.Select(p => p.Step));         // a step without an evaluation is no point
        Assert.Equal([0.3, 0.3, 0.03, 0.03], points.Select(p => p.C));             // outer-l1's c is c_out, as in the report
        Assert.Equal([0.9, 0.9, 0.5, 0.5], points.Select(p => p.X));
        Assert.Equal([0.7, 0.8, 0.7, 0.8], points.Select(p => p.Mcc));
        Directory.Delete(sweep, true);
    }
}
