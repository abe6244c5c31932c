using Disentangle.Data;
using Disentangle.Data.Latents;
using Disentangle.Data.OwnData;
using Disentangle.Tensors;

namespace Disentangle.Tests.Data.Latents;

public sealed class NearestSampleLatentsTests
{
    [Fact]
    public void The_kd_tree_finds_what_a_brute_force_search_finds_ties_included()
    {
        var random = new Random(3);
        const int d = 3, n = 500;
        // integer coordinates: many exact ties, which must go to the lowest index
        var points = Enumerable.Range(0, n * d).Select(_ => (double)random.Next(6)).ToArray();
        var tree = new KdTree(points, d);
        var query = new double[d];
        for (int q = 0; q < 2_000; q++)
        {
            for (int a = 0; a < d; a++) query[a] = q % 2 == 0 ? random.Next(-1, 7) : random.NextDouble() * 8 - 1;
            int best = -1;
            double bestDistance = double.PositiveInfinity;
            for (int i = 0; i < n; i++)
            {
                double distance = 0;
                for (int a = 0; a < d; a++) distance += (query[a] - points[i * d + a]) * (query[a] - points[i * d + a]);
                if (distance < bestDistance) (best, bestDistance) = (i, distance);
            }
            Assert.Equal(best, tree.Nearest(query));
        }
    }

    [Fact]
    public void Gaussian_names_give_the_nearest_sample_over_a_users_factors_and_the_grid_density_over_3d_shapes()
    {
        var table = Table(new Random(1), 200, 2);
        Assert.IsType<NearestSampleLatents>(LatentDistributions.Parse("harder_gauss_0.5", table));
        Assert.IsType<UniformLatents>(LatentDistributions.Parse("uniform", table));
        Assert.IsType<GaussianLatents>(LatentDistributions.Parse("harder_gauss_0.5", ShapesFactors.Shapes3D));
        Assert.Equal("gauss_0.3", LatentDistributions.Parse("gauss_0.3", table).Name);
        Assert.Throws<ArgumentOutOfRangeException>(() => LatentDistributions.Parse("gauss_1.5", table));
    }

    [Fact]
    public void Draws_follow_the_target_gaussian_where_the_data_are_dense()
    {
        // data drawn from N(0, I): they cover the target N(0, Σ_0.8) (standardised) densely, so the nearest samples of its
        // draws have about its unit variances and correlation 0.8, although the data themselves are uncorrelated
        var random = new Random(2);
        var table = new FactorTable([.. Enumerable.Range(0, 2 * 20_000).Select(_ => random.NextGaussian())], 2, "gaussian data");
        var distribution = new NearestSampleLatents(table, 0.8, CorrelationStructure.Equicorrelated);
        var (vx, vy, correlation) = Moments(table, distribution, 20_000);
        Assert.InRange(vx, 0.93, 1.07);
        Assert.InRange(vy, 0.93, 1.07);
        Assert.InRange(correlation, 0.77, 0.83);
        var (_, _, uniform) = Moments(table, new UniformLatents(table), 20_000);
        Assert.InRange(uniform, -0.03, 0.03);
    }

    [Fact]
    public void On_a_grid_the_draws_are_the_gaussian_restricted_to_its_range_not_piled_on_its_edges()
    {
        // a 1-D grid of 9 values standardises to about ±1.55: N(0, 1) has 12% of its mass beyond; the edge values must get
        // the restricted Gaussian's mass of their cells (half a gap wide beyond them), not that 12% on top
        var values = Enumerable.Range(0, 9).Select(i => (double)i).ToArray();
        var table = new FactorTable(values, 1, "grid");
        var distribution = new NearestSampleLatents(table, 0, CorrelationStructure.Toeplitz);
        var indices = new int[100_000];
        distribution.Sample(new Random(4), indices);
        double step = table.Standardise(0, 1) - table.Standardise(0, 0), edge = table.Standardise(0, 8) + step / 2;
        double Phi(double x) => 0.5 * (1 + Erf(x / Math.Sqrt(2)));
        double expected = (Phi(edge) - Phi(edge - step)) / (Phi(edge) - Phi(-edge));
        Assert.InRange(indices.Count(i => i == 8) / 100_000.0, expected - 0.005, expected + 0.005);
    }

    private static (double Vx, double Vy, double Correlation) Moments(FactorTable table, ILatentDistribution distribution, int draws)
    {
        var indices = new int[draws];
        distribution.Sample(new Random(5), indices);
        var z = new double[2];
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        foreach (int i in indices)
        {
            table.StandardisedValues(i, z);
            sx += z[0]; sy += z[1]; sxx += z[0] * z[0]; syy += z[1] * z[1]; sxy += z[0] * z[1];
        }
        double vx = sxx / draws - sx / draws * (sx / draws), vy = syy / draws - sy / draws * (sy / draws);
        return (vx, vy, (sxy / draws - sx / draws * (sy / draws)) / Math.Sqrt(vx * vy));
    }

    // Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7).
    private static double Erf(double x)
    {
        double t = 1 / (1 + 0.3275911 * Math.Abs(x));
        double y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return Math.Sign(x) * y;
    }

    [Fact]
    public void Samples_with_equal_factors_share_their_draws_uniformly_and_draws_repeat_with_the_seed()
    {
        // 3 distinct points, the middle one carried by 4 samples (indices 1, 2, 3, 4)
        var table = new FactorTable([-1.0, 0, 0, 0, 0, 1, -1, 1, 0, 0, 1, 0], 1, "dups");
        Assert.Equal(12, table.Count);
        var distribution = new NearestSampleLatents(table, 0, CorrelationStructure.Toeplitz);
        Assert.Equal(3, distribution.DistinctPoints);
        var indices = new int[60_000];
        distribution.Sample(new Random(9), indices);
        var again = new int[60_000];
        distribution.Sample(new Random(9), again);
        Assert.Equal(indices, again);
        var zeros = Enumerable.Range(0, 12).Where(i => table.Standardise(0, ValueOf(table, i)) == table.Standardise(0, 0)).ToArray();
        var counts = zeros.Select(i => indices.Count(s => s == i)).ToArray();
        double mean = counts.Average();
        Assert.All(counts, c => Assert.InRange(c, mean * 0.93, mean * 1.07));
        Assert.Equal(zeros.Length, counts.Count(c => c > 0));
    }

    private static double ValueOf(FactorTable table, int index)
    {
        var v = new double[1];
        table.RawValues(index, v);
        return v[0];
    }

    private static FactorTable Table(Random random, int n, int d) =>
        new([.. Enumerable.Range(0, n * d).Select(_ => random.NextDouble())], d, "random");
}
