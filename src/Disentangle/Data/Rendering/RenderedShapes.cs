using Disentangle.Tensors;

namespace Disentangle.Data.Rendering;

/// <summary>3D Shapes rendered on demand by the embedded ray caster: no download, any factor values (on or off the grid).</summary>
/// <remarks>
/// A room (floor and two walls meeting in a corner behind the object) seen from a fixed camera, with a cube, cylinder,
/// sphere or capsule on the floor; hues on the HSV circle, scale 0.75…1.25, orientation ±30° rotating room and object
/// together; Lambert + ambient shading from a point light, a soft floor shadow, 2×2 supersampling. Deterministic: the
/// same values give the same bytes on any thread.
/// Images are rendered on demand, in parallel over images, behind a small LRU cache keyed by the factor values
/// (measured with <c>bench/run render</c>: ~6,000–9,000 grid images/s on 2 busy cores; a 4,096-image cache serves 70% of
/// the reference run's harder_gauss_0.9 draws but under 1% of uniform ones). Pre-rendering the grid to a cache file
/// (5.9 GB, and useless off the grid) was not worth it.
/// </remarks>
public sealed class RenderedShapes : IShapesSource
{
    private readonly ImageCache? _cache;

    /// <summary>Creates the renderer over a factor grid (the real 3D Shapes grid by default).</summary>
    /// <param name="factors">The grid that <see cref="ReadImages"/> indexes.</param>
    /// <param name="cacheCapacity">Images kept by the LRU cache (12 KB each; 4,096 ≈ 50 MB); 0 disables it.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cacheCapacity"/> is negative.</exception>
    public RenderedShapes(ShapesFactors? factors = null, int cacheCapacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cacheCapacity);
        Factors = factors ?? ShapesFactors.Shapes3D;
        _cache = cacheCapacity > 0 ? new ImageCache(cacheCapacity) : null;
    }

    /// <summary>Images served from the cache so far.</summary>
    public long CacheHits => _cache?.Hits ?? 0;

    /// <summary>Images requested so far while the cache was on.</summary>
    public long CacheRequests => _cache?.Requests ?? 0;

    /// <inheritdoc/>
    public ShapesFactors Factors { get; }

    /// <inheritdoc/>
    public int Count => Factors.Count;

    /// <inheritdoc/>
    public bool RendersOffGrid => true;

    /// <inheritdoc/>
    public void ReadImages(ReadOnlySpan<int> indices, Span<byte> destination)
    {
        CheckDestination(indices.Length, destination.Length);
        var values = new double[indices.Length * ShapesFactors.FactorCount];
        for (int i = 0; i < indices.Length; i++)
            Factors.RawValues(indices[i], values.AsSpan(i * ShapesFactors.FactorCount, ShapesFactors.FactorCount));
        Render(values, destination);
    }

    /// <inheritdoc/>
    public unsafe void Render(ReadOnlySpan<double> rawValues, Span<byte> destination)
    {
        if (rawValues.Length % ShapesFactors.FactorCount != 0)
            throw new ArgumentException($"Factor values come in rows of {ShapesFactors.FactorCount}; got {rawValues.Length} values.", nameof(rawValues));
        int count = rawValues.Length / ShapesFactors.FactorCount;
        CheckDestination(count, destination.Length);
        if (count == 0) return;
        _ = ShapesScene.Instance;   // build the tables once, outside the parallel loop
        fixed (double* values = rawValues)
        fixed (byte* images = destination)
        {
            var v = (nint)values;
            var d = (nint)images;
            var cache = _cache;
            if (count == 1) { RenderOne(v, d, 0, cache); return; }
            Parallel.For(0, count, Parallelism.Options, i => RenderOne(v, d, i, cache));
        }
    }

    /// <summary>Renders one image from six raw factor values into a new 12,288-byte array.</summary>
    public byte[] Render(ReadOnlySpan<double> rawValues)
    {
        var image = new byte[ShapesImage.Bytes];
        Render(rawValues, image);
        return image;
    }

    private static unsafe void RenderOne(nint values, nint images, int i, ImageCache? cache)
    {
        var raw = new ReadOnlySpan<double>((double*)values + i * ShapesFactors.FactorCount, ShapesFactors.FactorCount);
        var image = new Span<byte>((byte*)images + (long)i * ShapesImage.Bytes, ShapesImage.Bytes);
        if (cache is null) { ShapesRenderer.Render(raw, image); return; }
        var key = ImageCache.Key(raw);
        if (cache.TryCopy(key, image)) return;
        ShapesRenderer.Render(raw, image);
        cache.Add(key, image);
    }

    private static void CheckDestination(int images, int length)
    {
        if (length < (long)images * ShapesImage.Bytes)
            throw new ArgumentException($"{images} images need {(long)images * ShapesImage.Bytes} bytes; the destination has {length}.", "destination");
    }
}
