namespace Disentangle.Data;

/// <summary>3D Shapes rendered on demand by the embedded ray caster: no download, any factor values (on or off the grid).</summary>
/// <remarks>
/// A room (floor and two walls meeting in a corner behind the object) seen from a fixed camera, with a cube, cylinder,
/// sphere or capsule on the floor; hues on the HSV circle, scale 0.75…1.25, orientation ±30° rotating room and object
/// together; Lambert + ambient shading from a point light, a soft floor shadow, 2×2 supersampling. Deterministic: the
/// same values give the same bytes on any thread.
/// Images are rendered on demand, in parallel over images, with no cache: rendering measured ~40k images/s on 2 cores
/// (<c>bench/run render</c>), far above the 5,000/s a training step needs, and a cache of a few thousand images hits
/// rarely on 480,000 grid points, so pre-rendering the grid to disk (5.9 GB) or caching would only cost memory.
/// </remarks>
public sealed class RenderedShapes : IShapesSource
{
    /// <summary>Creates the renderer over a factor grid (the real 3D Shapes grid by default).</summary>
    public RenderedShapes(ShapesFactors? factors = null) => Factors = factors ?? ShapesFactors.Shapes3D;

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
            if (count == 1) { RenderOne(v, d, 0); return; }
            Parallel.For(0, count, i => RenderOne(v, d, i));
        }
    }

    /// <summary>Renders one image from six raw factor values into a new 12,288-byte array.</summary>
    public byte[] Render(ReadOnlySpan<double> rawValues)
    {
        var image = new byte[ShapesImage.Bytes];
        Render(rawValues, image);
        return image;
    }

    private static unsafe void RenderOne(nint values, nint images, int i) =>
        ShapesRenderer.Render(new ReadOnlySpan<double>((double*)values + i * ShapesFactors.FactorCount, ShapesFactors.FactorCount),
                              new Span<byte>((byte*)images + (long)i * ShapesImage.Bytes, ShapesImage.Bytes));

    private static void CheckDestination(int images, int length)
    {
        if (length < (long)images * ShapesImage.Bytes)
            throw new ArgumentException($"{images} images need {(long)images * ShapesImage.Bytes} bytes; the destination has {length}.", "destination");
    }
}
