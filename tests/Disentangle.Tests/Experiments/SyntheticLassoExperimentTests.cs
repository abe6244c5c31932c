using Disentangle.Experiments;

namespace Disentangle.Tests.Experiments;

public sealed class SyntheticLassoExperimentTests
{
    private static readonly SyntheticOptions Small = new(SupportFractions: [0.05], TrainSizes: [25], Seeds: 4, PathLength: 20, Seed: 3);

    [Fact]
    public void Disentangled_lasso_beats_entangled_lasso_at_25_samples_and_both_ridges_coincide()
    {
        var result = new SyntheticLassoExperiment(Small).Run();
        double Mean(Representation rep, Regression reg) => result.Summaries.Single(s => s.Representation == rep && s.Regression == reg).MeanR2;
        Assert.True(Mean(Representation.Disentangled, Regression.Lasso) > Mean(Representation.Entangled, Regression.Lasso) + 0.2,
            $"disentangled-lasso {Mean(Representation.Disentangled, Regression.Lasso):F3} vs entangled-lasso {Mean(Representation.Entangled, Regression.Lasso):F3}");
        foreach (var seed in Enumerable.Range(0, 4))
        {
            double Score(Representation rep) => result.Scores.Single(s => s.SeedIndex == seed && s.Representation == rep && s.Regression == Regression.Ridge).TestR2;
            Assert.Equal(Score(Representation.Disentangled), Score(Representation.Entangled), 1e-6);
        }
    }

    [Fact]
    public void Same_seed_gives_identical_scores()
    {
        var options = Small with { Seeds = 2 };
        var a = new SyntheticLassoExperiment(options).Run().Scores.Select(s => s.TestR2);
        var b = new SyntheticLassoExperiment(options).Run().Scores.Select(s => s.TestR2);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Result_files_are_written_and_the_summary_opens_as_csv()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"disentangle-synthetic-{Guid.NewGuid():N}");
        var experiment = new SyntheticLassoExperiment(Small with { Seeds = 2, Out = folder });
        var paths = experiment.Write(experiment.Run());
        foreach (var name in new[] { "config.json", "scores.csv", "summary.csv", "summary.json", "figure1.png" })
            Assert.Contains(Path.Combine(folder, name), paths);
        var lines = File.ReadAllLines(Path.Combine(folder, "summary.csv"));
        Assert.Equal(1 + 4, lines.Length);
        Assert.StartsWith("support_fraction,train_size", lines[0]);
        Assert.True(new FileInfo(Path.Combine(folder, "figure1.png")).Length > 1000);
    }

    [Theory]
    [InlineData(0, 4, 1.0)]
    [InlineData(100, 1, 1.0)]
    [InlineData(100, 4, -1.0)]
    public void Out_of_range_options_are_rejected(int features, int folds, double noise)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticLassoExperiment(new SyntheticOptions(Features: features, Folds: folds, NoiseStd: noise)));
    }
}
