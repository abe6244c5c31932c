using System.Text.Json;
using Disentangle.Ica;
using Disentangle.Metrics;
using Disentangle.Tensors;
using Disentangle.Tests.Metrics;

namespace Disentangle.Tests.Ica;

/// <summary>Agreement with scikit-learn's FastICA (parallel, unit-variance whitening) on fixtures from
/// tests/fixtures/metrics_reference.py: Laplace and uniform sources mixed by a random matrix.</summary>
public sealed class ReferenceAgreementTests
{
    private static IContrast ContrastOf(JsonElement fit) => fit.GetProperty("fun").GetString() switch
    {
        "logcosh" => new LogCosh(),
        "exp" => new ExpContrast(),
        "cube" => new Cube(),
        var other => throw new InvalidDataException($"Unknown sklearn contrast '{other}' in the fixture."),
    };

    public static TheoryData<string> Datasets => ["laplace", "uniform", "mixed_top3_of_5"];

    private static JsonElement Dataset(string name) =>
        Fixture.Load("Ica", "fastica.json").GetProperty("datasets").EnumerateArray().Single(d => d.GetProperty("name").GetString() == name);

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Same_start_gives_scikit_learns_unmixing_mixing_and_iteration_count(string name)
    {
        var data = Dataset(name);
        var x = data.Matrix("x");
        foreach (var fit in data.GetProperty("fits").EnumerateArray())
        {
            var options = new FastIcaOptions(Components: fit.GetProperty("components").GetInt32(), Contrast: ContrastOf(fit),
                InitialUnmixing: fit.Matrix("w_init"));
            var result = new FastIca(options).Fit(x, new Random(0));
            string what = $"{name}/{fit.GetProperty("fun").GetString()}";
            Assert.Equal(fit.GetProperty("iterations").GetInt32(), result.Iterations);
            Assert.True(result.Converged, what);
            Fixture.AssertClose(fit.Doubles("mean"), result.Mean, 1e-12, $"{what} mean");
            Fixture.AssertClose(fit.Matrix("unmixing").Data, result.Unmixing.Data, 1e-9, $"{what} unmixing");
            Fixture.AssertClose(fit.Matrix("mixing").Data, result.Mixing.Data, 1e-9, $"{what} mixing");
        }
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Seeded_fits_recover_the_true_sources_like_scikit_learn(string name)
    {
        var data = Dataset(name);
        var x = data.Matrix("x");
        var sources = data.Matrix("sources");
        var fit = data.GetProperty("fits")[0];
        int k = fit.GetProperty("components").GetInt32();
        var theirs = Matrix.Multiply(Center(x), fit.Matrix("unmixing"), transposeB: true);
        Assert.All(Mcc.Compute(sources, theirs).PerFactor, r => Assert.True(r > 0.99, $"sklearn |corr| {r}"));
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var ours = new FastIca(new FastIcaOptions(Components: k)).Fit(x, new Random(seed));
            Assert.All(Mcc.Compute(sources, ours.Sources).PerFactor, r => Assert.True(r > 0.99, $"{name} seed {seed}: |corr| {r}"));
            Assert.True(Mcc.Compute(theirs, ours.Sources).Mcc > 0.99);
        }
    }

    private static Matrix Center(Matrix x)
    {
        var c = x.Clone();
        for (int j = 0; j < x.Columns; j++)
        {
            double mean = x.Column(j).Average();
            for (int i = 0; i < x.Rows; i++) c[i, j] -= mean;
        }
        return c;
    }
}
