namespace Disentangle.Data.Rendering;

/// <summary>Writes PNG grids of 3D Shapes images so a person can see the data: factor traversals or arbitrary samples.</summary>
public static class ShapesGallery
{
    private const int Margin = 2;
    private const byte Paper = 255;

    /// <summary>Writes one row per factor: the images obtained by moving that factor over all its grid values while the
    /// others stay at <paramref name="baseIndex"/>'s values (rows: floor hue, wall hue, object hue, scale, shape,
    /// orientation; shorter rows are padded with white).</summary>
    /// <param name="path">PNG file to write.</param>
    /// <param name="source">Image source (rendered or the real file).</param>
    /// <param name="baseIndex">Grid index whose factor values the traversals start from.</param>
    /// <param name="zoom">Integer upscaling of every image (nearest neighbour), ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="baseIndex"/> outside the grid or <paramref name="zoom"/> &lt; 1.</exception>
    public static void WriteTraversals(string path, IShapesSource source, int baseIndex = 0, int zoom = 2)
    {
        ArgumentNullException.ThrowIfNull(source);
        var factors = source.Factors;
        ArgumentOutOfRangeException.ThrowIfNegative(baseIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(baseIndex, factors.Count);
        int columns = factors.Sizes.Max();
        var indices = new int[ShapesFactors.FactorCount * columns];
        Array.Fill(indices, -1);
        Span<int> at = stackalloc int[ShapesFactors.FactorCount];
        for (int f = 0; f < ShapesFactors.FactorCount; f++)
            for (int v = 0; v < factors.Sizes[f]; v++)
            {
                factors.FactorIndices(baseIndex, at);
                at[f] = v;
                indices[f * columns + v] = factors.IndexOf(at);
            }
        WriteGrid(path, source, indices, columns, zoom);
    }

    /// <summary>Writes the given grid images row by row, <paramref name="columns"/> per row; index −1 leaves a blank tile.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="columns"/> or <paramref name="zoom"/> &lt; 1.</exception>
    public static void WriteGrid(string path, IShapesSource source, ReadOnlySpan<int> indices, int columns, int zoom = 2)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(zoom, 1);
        int rows = (indices.Length + columns - 1) / columns;
        int tile = ShapesImage.Width * zoom;
        int width = columns * (tile + Margin) + Margin, height = rows * (tile + Margin) + Margin;
        var canvas = new byte[width * height * 3];
        Array.Fill(canvas, Paper);
        var present = new List<int>();
        foreach (int i in indices) if (i >= 0) present.Add(i);
        var images = new byte[present.Count * ShapesImage.Bytes];
        source.ReadImages(present.ToArray(), images);
        int next = 0;
        for (int k = 0; k < indices.Length; k++)
        {
            if (indices[k] < 0) continue;
            var image = images.AsSpan(next++ * ShapesImage.Bytes, ShapesImage.Bytes);
            int left = Margin + k % columns * (tile + Margin), top = Margin + k / columns * (tile + Margin);
            for (int y = 0; y < tile; y++)
                for (int x = 0; x < tile; x++)
                    image.Slice(((y / zoom) * ShapesImage.Width + x / zoom) * 3, 3)
                         .CopyTo(canvas.AsSpan(((top + y) * width + left + x) * 3, 3));
        }
        PngWriter.Write(path, width, height, canvas);
    }
}
