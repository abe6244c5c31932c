using Disentangle.Solvers;
using Disentangle.Solvers.GroupSparseSvm;
using Disentangle.Tensors;

namespace Disentangle.Tests.Solvers.GroupSparseSvm;

public sealed class SimplexProjectionTests
{
    [Theory]
    [InlineData(new[] { 0.2, 0.3, 0.5 }, new[] { 0.2, 0.3, 0.5 })]
    [InlineData(new[] { 1.0, 1.0 }, new[] { 0.5, 0.5 })]
    [InlineData(new[] { 3.0, 0.0, -1.0 }, new[] { 1.0, 0.0, 0.0 })]
    [InlineData(new[] { 0.9, 0.6, -2.0 }, new[] { 0.65, 0.35, 0.0 })]
    [InlineData(new[] { 5.0 }, new[] { 1.0 })]
    public void Projection_of_known_points(double[] v, double[] expected)
    {
        var result = new double[v.Length];
        SimplexProjection.Project(v, result);
        for (int c = 0; c < v.Length; c++) Assert.Equal(expected[c], result[c], 1e-12);
    }

    [Fact]
    public void Projection_is_the_closest_simplex_point_among_random_candidates()
    {
        var random = new Random(5);
        for (int trial = 0; trial < 50; trial++)
        {
            var v = Enumerable.Range(0, 6).Select(_ => 2 * random.NextGaussian()).ToArray();
            var projection = new double[6];
            SimplexProjection.Project(v, projection);
            Assert.Equal(1.0, projection.Sum(), 1e-12);
            Assert.All(projection, b => Assert.True(b >= 0));
            double best = Distance(v, projection);
            for (int k = 0; k < 200; k++)
            {
                var candidate = Enumerable.Range(0, 6).Select(_ => -Math.Log(random.NextDouble())).ToArray();
                double sum = candidate.Sum();
                Assert.True(Distance(v, candidate.Select(c => c / sum).ToArray()) >= best - 1e-12);
            }
        }
    }

    [Fact]
    public void Jacobian_product_matches_finite_differences_away_from_kinks()
    {
        var random = new Random(7);
        var v = new[] { 0.8, 0.5, -1.0, 0.1, 0.45 };
        var projection = new double[5];
        SimplexProjection.Project(v, projection);
        var direction = Enumerable.Range(0, 5).Select(_ => random.NextGaussian()).ToArray();
        var analytic = new double[5];
        SimplexProjection.JacobianProduct(projection, direction, analytic);
        const double h = 1e-6;
        var plus = new double[5];
        var minus = new double[5];
        SimplexProjection.Project(v.Zip(direction, (a, d) => a + h * d).ToArray(), plus);
        SimplexProjection.Project(v.Zip(direction, (a, d) => a - h * d).ToArray(), minus);
        for (int c = 0; c < 5; c++) Assert.Equal((plus[c] - minus[c]) / (2 * h), analytic[c], 1e-6);
    }

    [Fact]
    public void Face_projection_leaves_excluded_entries_at_zero()
    {
        var result = new double[4];
        SimplexProjection.ProjectOnFace([0.5, 2.0, 0.5, 0.1], [true, false, true, true], result);
        Assert.Equal(0.0, result[1]);
        Assert.Equal(1.0, result.Sum(), 1e-12);
        Assert.Equal(result[0], result[2], 1e-12);
    }

    [Fact]
    public void Mismatched_lengths_throw() => Assert.Throws<ArgumentException>(() => SimplexProjection.Project([1.0, 2.0], new double[3]));

    private static double Distance(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum());
}
