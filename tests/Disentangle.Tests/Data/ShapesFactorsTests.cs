using Disentangle.Data;

namespace Disentangle.Tests.Data;

public sealed class ShapesFactorsTests
{
    private static readonly ShapesFactors Grid = ShapesFactors.Shapes3D;

    [Fact]
    public void The_real_grid_has_the_published_sizes_and_values()
    {
        Assert.Equal([10, 10, 10, 8, 4, 15], Grid.Sizes);
        Assert.Equal(480_000, Grid.Count);
        Assert.Equal(0.9, Grid.Values(ShapesFactors.WallHue)[^1]);
        Assert.Equal(0.1, Grid.Values(ShapesFactors.FloorHue)[1], 1e-15);
        Assert.Equal(0.75 + 0.5 / 7 * 3, Grid.Values(ShapesFactors.Scale)[3], 1e-15);
        Assert.Equal([0.0, 1, 2, 3], Grid.Values(ShapesFactors.Shape).ToArray());
        Assert.Equal(-30 + 60.0 / 14 * 5, Grid.Values(ShapesFactors.Orientation)[5], 1e-12);
        Assert.Equal(60.0 / 14, Grid.Gap(ShapesFactors.Orientation), 1e-12);
    }

    [Fact]
    public void Grid_index_is_mixed_radix_with_the_first_factor_most_significant()
    {
        Assert.Equal(1, Grid.IndexOf([0, 0, 0, 0, 0, 1]));
        Assert.Equal(15, Grid.IndexOf([0, 0, 0, 0, 1, 0]));
        Assert.Equal(48_000, Grid.IndexOf([1, 0, 0, 0, 0, 0]));
        Span<int> at = stackalloc int[6];
        Span<double> raw = stackalloc double[6];
        var random = new Random(11);
        for (int trial = 0; trial < 500; trial++)
        {
            int index = random.Next(Grid.Count);
            Grid.FactorIndices(index, at);
            Assert.Equal(index, Grid.IndexOf(at));
            Grid.RawValues(index, raw);
            Assert.Equal(index, Grid.FindIndex(raw));
        }
    }

    [Fact]
    public void Standardised_factors_have_mean_zero_and_unit_variance_over_the_grid()
    {
        var sum = new double[6];
        var squares = new double[6];
        Span<double> z = stackalloc double[6];
        for (int index = 0; index < Grid.Count; index += 7)   // a stride coprime with every factor size samples all combinations evenly
        {
            Grid.StandardisedValues(index, z);
            for (int f = 0; f < 6; f++) { sum[f] += z[f]; squares[f] += z[f] * z[f]; }
        }
        int n = (Grid.Count + 6) / 7;
        for (int f = 0; f < 6; f++)
        {
            Assert.Equal(0, sum[f] / n, 1e-3);
            Assert.Equal(1, squares[f] / n, 1e-3);
        }
    }

    [Fact]
    public void Off_grid_values_are_not_found()
    {
        Assert.Equal(-1, Grid.FindIndex([0.05, 0, 0, 0.75, 0, -30]));
        Assert.Equal(0, Grid.FindIndex([0, 0, 0, 0.75, 0, -30]));
    }

    [Fact]
    public void Bad_grids_and_indices_are_rejected_with_the_offending_values()
    {
        var e = Assert.Throws<ArgumentException>(() => new ShapesFactors([[0.0], [0.0]]));
        Assert.Contains("6 factors", e.Message);
        e = Assert.Throws<ArgumentException>(() => new ShapesFactors([[0.0, 0.0], [0.0], [0.0], [1.0], [0.0], [0.0]]));
        Assert.Contains("floor_hue", e.Message);
        e = Assert.Throws<ArgumentException>(() => Grid.IndexOf([0, 0, 0, 8, 0, 0]));
        Assert.Contains("scale index 8", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Grid.RawValues(480_000, new double[6]));
    }
}
