using Disentangle.Data;
using Disentangle.Data.Latents;

namespace Disentangle.Tests.Data.Latents;

public sealed class LatentNoiseTests
{
    private static readonly ShapesFactors Grid = ShapesFactors.Shapes3D;

    [Fact]
    public void Offsets_are_fixed_per_grid_point_and_bounded_by_half_a_scaled_gap()
    {
        var noise = new LatentNoise(Grid, 0.8, seed: 4);
        var a = new double[6]; var b = new double[6];
        var random = new Random(1);
        for (int trial = 0; trial < 2000; trial++)
        {
            int index = random.Next(Grid.Count);
            noise.Offsets(index, a);
            noise.Offsets(index, b);
            Assert.Equal(a, b);
            for (int f = 0; f < 6; f++) Assert.InRange(Math.Abs(a[f]), 0, 0.4 * Grid.Gap(f) + 1e-12);
        }
    }

    [Fact]
    public void Offsets_are_uniform_with_the_expected_variance()
    {
        var noise = new LatentNoise(Grid, 1.0, seed: 9);
        var o = new double[6];
        double sum = 0, squares = 0;
        const int n = 50_000;
        for (int i = 0; i < n; i++)
        {
            noise.Offsets(i * 9 % Grid.Count, o);
            double u = o[ShapesFactors.Orientation] / Grid.Gap(ShapesFactors.Orientation);   // U[−1/2, 1/2]
            sum += u; squares += u * u;
        }
        Assert.Equal(0, sum / n, 0.01);
        Assert.Equal(1.0 / 12, squares / n, 0.003);
    }

    [Fact]
    public void Zero_scale_leaves_the_grid_and_seeds_give_different_offsets()
    {
        var raw = new double[6]; var noisy = new double[6];
        new LatentNoise(Grid, 0, seed: 1).RawValues(777, noisy);
        Grid.RawValues(777, raw);
        Assert.Equal(raw, noisy);
        var a = new double[6]; var b = new double[6];
        new LatentNoise(Grid, 1, seed: 1).Offsets(777, a);
        new LatentNoise(Grid, 1, seed: 2).Offsets(777, b);
        Assert.NotEqual(a, b);
        var z = new double[6];
        new LatentNoise(Grid, 1, seed: 1).StandardisedValues(777, z);
        Assert.Equal(Grid.Standardise(0, raw[0] + a[0]), z[0], 1e-12);
    }

    [Fact]
    public void Scale_outside_zero_one_is_rejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LatentNoise(Grid, 1.5, 0));
        Assert.Contains("[0, 1]", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LatentNoise(Grid, double.NaN, 0));
    }
}
