using Disentangle.Runs;
using Disentangle.Training;

namespace Disentangle.Tests.Training;

public sealed class LambdaGridTests
{
    private static string TempRun() => Path.Combine(Path.GetTempPath(), $"disentangle-grid-{Guid.NewGuid():N}");

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    [InlineData(0.03)]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(1.0)]
    public void Every_c_of_the_papers_grid_is_valid_for_both_inner_problems(double c)
    {
        new TrainOptions(Method: TrainMethod.InnerLasso, LambdaRatio: c).Validate();
        new TrainOptions(Method: TrainMethod.InnerRidge, LambdaRatio: c).Validate();
        Assert.Equal(c > 0, new TrainOptions(Method: TrainMethod.InnerLasso, LambdaRatio: c).SparseInner);
    }

    [Fact]
    public void Inner_lasso_at_c_zero_trains_as_least_squares_and_at_c_one_keeps_every_predictor_zero()
    {
        TrainOptions Options(double c, string folder) => new(Method: TrainMethod.InnerLasso, LambdaRatio: c, Steps: 4, Inputs: InputKind.Linear,
            EvalEvery: 2, EvalSamples: 200, ValidationTasks: 4, LogEvery: 1, Seed: 1, Out: folder);
        string zero = TempRun(), one = TempRun();
        new TrainingRun(Options(0, zero)).Train();
        new TrainingRun(Options(1, one)).Train();
        var zeroLog = Disentangle.Io.CsvTable.Read(new RunFolder(zero).Log);
        var oneLog = Disentangle.Io.CsvTable.Read(new RunFolder(one).Log);
        Assert.All(zeroLog.Numbers("support_size"), s => Assert.Equal(6, s));    // least squares uses every feature
        Assert.All(oneLog.Numbers("support_size"), s => Assert.Equal(0, s));     // λ = λ_max: Ŵ = 0
        Directory.Delete(zero, true);
        Directory.Delete(one, true);
    }
}
