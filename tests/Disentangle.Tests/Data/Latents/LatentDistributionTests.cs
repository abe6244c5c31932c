using System.Text.Json;
using Disentangle.Data;
using Disentangle.Data.Latents;

namespace Disentangle.Tests.Data.Latents;

public sealed class LatentDistributionTests
{
    private static readonly ShapesFactors Grid = ShapesFactors.Shapes3D;
    private static readonly Lazy<GaussianLatents> Harder = new(() => new GaussianLatents(Grid, 0.9, CorrelationStructure.Equicorrelated));

    [Fact]
    public void Grid_probabilities_match_numpy()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Data", "latent_probabilities.json")));
        var indices = json.RootElement.GetProperty("indices").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        foreach (var (name, distribution) in new (string, IExactLatentDistribution)[] { ("gauss_0.5", (GaussianLatents)LatentDistributions.Parse("gauss_0.5")), ("harder_gauss_0.9", Harder.Value) })
        {
            var expected = json.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
            for (int i = 0; i < indices.Length; i++)
                Assert.Equal(expected[i], distribution.Probability(indices[i]), expected[i] * 1e-9);
        }
    }

    [Fact]
    public void Probabilities_sum_to_one_and_rho_zero_factorises_into_marginals()
    {
        var independent = new GaussianLatents(Grid, 0.0, CorrelationStructure.Toeplitz);
        double total = 0;
        for (int i = 0; i < Grid.Count; i++) total += independent.Probability(i);
        Assert.Equal(1.0, total, 1e-9);
        // ρ = 0: p(i) ∝ Π_f exp(−z_f²/2), so p(a)/p(b) = exp(−(|z_a|² − |z_b|²)/2).
        var za = new double[6]; var zb = new double[6];
        Grid.StandardisedValues(12_345, za);
        Grid.StandardisedValues(400_001, zb);
        double ratio = Math.Exp(-0.5 * (za.Sum(v => v * v) - zb.Sum(v => v * v)));
        Assert.Equal(ratio, independent.Probability(12_345) / independent.Probability(400_001), 1e-9);
    }

    [Fact]
    public void Grid_samples_match_the_probabilities_by_chi_square()
    {
        // 64 bins of consecutive grid indices with about equal mass (any partition gives a valid test); α = 0.001.
        const int draws = 200_000, bins = 64;
        foreach (IExactLatentDistribution distribution in new IExactLatentDistribution[] { new UniformLatents(Grid), Harder.Value })
        {
            var binOf = new int[Grid.Count];
            var mass = new double[bins];
            double cumulative = 0;
            for (int i = 0; i < Grid.Count; i++)
            {
                int b = Math.Min(bins - 1, (int)(cumulative * bins));
                binOf[i] = b;
                mass[b] += distribution.Probability(i);
                cumulative += distribution.Probability(i);
            }
            var samples = new int[draws];
            distribution.Sample(new Random(17), samples);
            var counts = new double[bins];
            foreach (int s in samples) counts[binOf[s]]++;
            double chi2 = 0;
            for (int b = 0; b < bins; b++) chi2 += Math.Pow(counts[b] - draws * mass[b], 2) / (draws * mass[b]);
            Assert.True(chi2 < 103.44, $"{distribution.Name}: χ² = {chi2:F1} with 63 degrees of freedom");
        }
    }

    [Fact]
    public void Grid_samples_have_the_correlation_of_the_grid_distribution()
    {
        var distribution = Harder.Value;
        double exact = 0;                   // E[z0 z1] under the grid distribution (means are 0 by symmetry)
        var z = new double[6];
        for (int i = 0; i < Grid.Count; i++)
        {
            Grid.StandardisedValues(i, z);
            exact += distribution.Probability(i) * z[0] * z[1];
        }
        var samples = new int[100_000];
        distribution.Sample(new Random(3), samples);
        double empirical = 0;
        foreach (int s in samples)
        {
            Grid.StandardisedValues(s, z);
            empirical += z[0] * z[1];
        }
        empirical /= samples.Length;
        Assert.InRange(exact, 0.3, 0.9);     // the bounded grid truncates the Gaussian: E[z0 z1] = 0.47 at ρ = 0.9
        Assert.Equal(exact, empirical, 0.015);
    }

    [Theory]
    [InlineData(0.9, CorrelationStructure.Equicorrelated)]
    [InlineData(0.6, CorrelationStructure.Toeplitz)]
    public void Continuous_surrogate_samples_have_correlation_rho(double rho, CorrelationStructure structure)
    {
        var distribution = new GaussianLatents(Grid, rho, structure);
        var random = new Random(8);
        const int n = 100_000;
        var z = new double[6];
        double s01 = 0, s02 = 0, s00 = 0, s22 = 0;
        for (int i = 0; i < n; i++)
        {
            distribution.SampleContinuous(random, z);
            s01 += z[0] * z[1]; s02 += z[0] * z[2]; s00 += z[0] * z[0]; s22 += z[2] * z[2];
        }
        Assert.Equal(1.0, s00 / n, 0.02);
        Assert.Equal(rho, s01 / n, 0.012);
        Assert.Equal(structure == CorrelationStructure.Toeplitz ? rho * rho : rho, s02 / Math.Sqrt(s00 * s22), 0.012);
    }

    [Fact]
    public void Names_round_trip_through_the_parser()
    {
        Assert.Equal("uniform", LatentDistributions.Parse("uniform").Name);
        var parsed = Assert.IsType<GaussianLatents>(LatentDistributions.Parse("harder_gauss_0.9"));
        Assert.Equal((0.9, CorrelationStructure.Equicorrelated), (parsed.Rho, parsed.Structure));
        Assert.Equal("harder_gauss_0.9", parsed.Name);
        Assert.Equal(CorrelationStructure.Toeplitz, Assert.IsType<GaussianLatents>(LatentDistributions.Parse("gauss_0.5")).Structure);
    }

    [Fact]
    public void Bad_names_and_rho_are_rejected_listing_the_valid_choices()
    {
        var e = Assert.Throws<ArgumentException>(() => LatentDistributions.Parse("gaussian_0.5"));
        Assert.Contains("uniform", e.Message);
        Assert.Contains("harder_gauss_ρ", e.Message);
        Assert.Contains("'gaussian_0.5'", e.Message);
        e = Assert.Throws<ArgumentException>(() => LatentDistributions.Parse("gauss_abc"));
        Assert.Contains("'abc' is not a number", e.Message);
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => LatentDistributions.Parse("harder_gauss_1.0"));
        Assert.Contains("[0, 1)", range.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianLatents(Grid, -0.1, CorrelationStructure.Toeplitz));
        Assert.Throws<ArgumentException>(() => LatentDistributions.Parse("gauss"));
    }
}
