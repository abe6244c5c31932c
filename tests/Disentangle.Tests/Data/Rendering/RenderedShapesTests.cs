using System.Security.Cryptography;
using Disentangle.Data;
using Disentangle.Data.Rendering;

namespace Disentangle.Tests.Data.Rendering;

public sealed class RenderedShapesTests
{
    private static readonly RenderedShapes Source = new(cacheCapacity: 0);
    private static readonly double[] Base = [0.2, 0.5, 0.7, 1.0, 0, 10];   // floor, wall, object hue, scale, shape, degrees

    private static byte[] Render(params (int Factor, double Value)[] changes)
    {
        var values = (double[])Base.Clone();
        foreach (var (factor, value) in changes) values[factor] = value;
        return Source.Render(values);
    }

    private static List<int> ChangedPixels(byte[] a, byte[] b)
    {
        var changed = new List<int>();
        for (int p = 0; p < ShapesImage.Pixels; p++)
            if (a[3 * p] != b[3 * p] || a[3 * p + 1] != b[3 * p + 1] || a[3 * p + 2] != b[3 * p + 2]) changed.Add(p);
        return changed;
    }

    // Room intensity of pixel p at orientation θ on a grid node: floor (surface 0) or walls (surface 1).
    private static float RoomWeight(int p, double degrees, int surface)
    {
        int table = (int)Math.Round((degrees - ShapesScene.ThetaMin) / ShapesScene.ThetaStep);
        return ShapesScene.Instance.Background[table * ShapesScene.TableLength + surface * ShapesImage.Bytes + 3 * p];
    }

    [Fact]
    public void Rendering_is_deterministic_in_batches_and_one_by_one()
    {
        var random = new Random(5);
        var indices = Enumerable.Range(0, 64).Select(_ => random.Next(Source.Count)).ToArray();
        var batch = new byte[indices.Length * ShapesImage.Bytes];
        Source.ReadImages(indices, batch);
        var again = new byte[batch.Length];
        Source.ReadImages(indices, again);
        Assert.Equal(batch, again);
        var raw = new double[6];
        for (int i = 0; i < indices.Length; i += 9)
        {
            Source.Factors.RawValues(indices[i], raw);
            Assert.Equal(batch.AsSpan(i * ShapesImage.Bytes, ShapesImage.Bytes).ToArray(), Source.Render(raw));
        }
    }

    [Fact]
    public void The_cache_serves_repeated_values_with_the_rendered_bytes_and_evicts_the_oldest()
    {
        var cached = new RenderedShapes(cacheCapacity: 2);
        int[] indices = [10, 20, 10, 10, 30, 10, 20];      // 20 is evicted by 30 (10 was used more recently)
        var images = new byte[indices.Length * ShapesImage.Bytes];
        foreach (var (i, k) in indices.Select((v, k) => (v, k)))
            cached.ReadImages([i], images.AsSpan(k * ShapesImage.Bytes, ShapesImage.Bytes));
        var expected = new byte[images.Length];
        Source.ReadImages(indices, expected);
        Assert.Equal(expected, images);
        Assert.Equal((3L, 7L), (cached.CacheHits, cached.CacheRequests));   // hits: the 2nd, 3rd and 4th request of 10
        Assert.Throws<ArgumentOutOfRangeException>(() => new RenderedShapes(cacheCapacity: -1));
    }

    [Fact]
    public void Floor_hue_changes_only_pixels_that_see_the_floor()
    {
        var changed = ChangedPixels(Render(), Render((ShapesFactors.FloorHue, 0.6)));
        Assert.True(changed.Count > 800, $"only {changed.Count} pixels changed");
        Assert.All(changed, p => Assert.True(RoomWeight(p, Base[5], 0) > 0, $"pixel {p} sees no floor"));
        Assert.DoesNotContain(0, changed);                        // top-left corner is wall
        Assert.Contains(ShapesImage.Pixels - 1, changed);         // bottom-right corner is floor
    }

    [Fact]
    public void Wall_hue_changes_only_pixels_that_see_a_wall()
    {
        var changed = ChangedPixels(Render(), Render((ShapesFactors.WallHue, 0.0)));
        Assert.True(changed.Count > 1200, $"only {changed.Count} pixels changed");
        Assert.All(changed, p => Assert.True(RoomWeight(p, Base[5], 1) > 0, $"pixel {p} sees no wall"));
        Assert.Contains(0, changed);
        Assert.DoesNotContain(ShapesImage.Pixels - 1, changed);
    }

    [Fact]
    public void Object_hue_scale_and_shape_change_only_a_central_region()
    {
        foreach (var change in new[] { (ShapesFactors.ObjectHue, 0.1), (ShapesFactors.Scale, 1.1), (ShapesFactors.Shape, 3.0) })
        {
            var changed = ChangedPixels(Render(), Render(change));
            Assert.True(changed.Count > 60, $"factor {change.Item1}: only {changed.Count} pixels changed");
            Assert.All(changed, p =>
            {
                int row = p / 64, col = p % 64;
                Assert.False(row < 16 || (row > 56 && (col < 6 || col > 57)), $"factor {change.Item1} changed pixel ({row}, {col})");
            });
        }
        var objectOnly = ChangedPixels(Render(), Render((ShapesFactors.ObjectHue, 0.1)));
        Assert.True(objectOnly.Count < 700, $"object hue changed {objectOnly.Count} pixels");
    }

    [Fact]
    public void Orientation_rotates_the_room_and_the_cube()
    {
        var changed = ChangedPixels(Render(), Render((ShapesFactors.Orientation, -20)));
        Assert.True(changed.Count > 200, $"only {changed.Count} pixels changed");
        // A sphere is rotation invariant, but the room turns with it, so the images still differ.
        var sphereChanged = ChangedPixels(Render((ShapesFactors.Shape, 2)), Render((ShapesFactors.Shape, 2), (ShapesFactors.Orientation, -20)));
        Assert.True(sphereChanged.Count > 50);
    }

    [Fact]
    public void The_image_moves_little_for_small_factor_steps()
    {
        foreach (int factor in new[] { ShapesFactors.FloorHue, ShapesFactors.ObjectHue, ShapesFactors.Scale, ShapesFactors.Shape, ShapesFactors.Orientation })
        {
            double big = MeanAbsoluteDifference(Render(), Render((factor, Base[factor] + 0.3)));
            double small = MeanAbsoluteDifference(Render(), Render((factor, Base[factor] + 1e-4)));
            Assert.True(big > 0.05, $"factor {factor}: a step of 0.3 changed the image by {big}");
            Assert.True(small < 0.02, $"factor {factor}: a step of 1e-4 changed the image by {small}");
        }
    }

    [Fact]
    public void A_fractional_shape_cross_fades_the_two_neighbouring_shapes()
    {
        var cube = Render((ShapesFactors.Shape, 0));
        var cylinder = Render((ShapesFactors.Shape, 1));
        var half = Render((ShapesFactors.Shape, 0.5));
        for (int i = 0; i < half.Length; i++)
            Assert.InRange(half[i], (cube[i] + cylinder[i]) / 2.0 - 1.01, (cube[i] + cylinder[i]) / 2.0 + 1.01);
        Assert.NotEqual(cube, half);
    }

    [Fact]
    public void Hue_wraps_around_the_circle()
    {
        Assert.Equal(Render((ShapesFactors.ObjectHue, 0.0)), Render((ShapesFactors.ObjectHue, 1.0)));
        var a = Render((ShapesFactors.FloorHue, 0.95));
        var b = Render((ShapesFactors.FloorHue, -0.05));
        Assert.True(MeanAbsoluteDifference(a, b) < 0.01);
    }

    [Fact]
    public void Geometry_combinations_and_a_random_sample_of_the_grid_are_all_distinct()
    {
        // All 480 (scale, shape, orientation) combinations at fixed hues, all 1,000 hue triples at a fixed geometry,
        // and 1,000 random grid points: every image hash is distinct. (bench/run render distinct hashes the full grid.)
        var grid = Source.Factors;
        var indices = new HashSet<int>();
        for (int i = 0; i < 480; i++) indices.Add(grid.IndexOf([3, 7, 1, i / 60, i / 15 % 4, i % 15]));
        for (int i = 0; i < 1000; i++) indices.Add(grid.IndexOf([i / 100, i / 10 % 10, i % 10, 2, 1, 4]));
        var random = new Random(3);
        while (indices.Count < 480 + 1000 + 1000) indices.Add(random.Next(grid.Count));
        var list = indices.ToArray();
        var images = new byte[list.Length * ShapesImage.Bytes];
        Source.ReadImages(list, images);
        var hashes = new HashSet<string>();
        for (int i = 0; i < list.Length; i++)
            Assert.True(hashes.Add(Convert.ToHexString(SHA256.HashData(images.AsSpan(i * ShapesImage.Bytes, ShapesImage.Bytes)))),
                $"grid index {list[i]} renders like an earlier one");
    }

    [Fact]
    public void Bad_values_and_buffers_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Source.Render(new double[5], new byte[ShapesImage.Bytes]));
        Assert.Throws<ArgumentException>(() => Source.Render(new double[6], new byte[100]));
        var e = Assert.Throws<ArgumentException>(() => Source.Render([0, 0, 0, -1, 0, 0]));
        Assert.Contains("positive scale", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Source.ReadImages([480_000], new byte[ShapesImage.Bytes]));
    }

    private static double MeanAbsoluteDifference(byte[] a, byte[] b)
    {
        long sum = 0;
        for (int i = 0; i < a.Length; i++) sum += Math.Abs(a[i] - b[i]);
        return (double)sum / a.Length;
    }
}
