using Disentangle.Plots;
using SkiaSharp;

namespace Disentangle.Data.Rendering;

/// <summary>Writes grids of 3D Shapes images so a person can see the data: factor traversals or arbitrary samples, as PNG,
/// SVG or PDF (by the file's extension).</summary>
public static class ShapesGallery
{
    private const int Margin = 2, LabelWidth = 110;

    /// <summary>Writes one row per factor, labelled with the factor's name: the images obtained by moving that factor over
    /// all its grid values while the others stay at <paramref name="baseIndex"/>'s values (rows: floor hue, wall hue,
    /// object hue, scale, shape, orientation; shorter rows are padded with white).</summary>
    /// <param name="path">File to write (<c>.png</c>, <c>.svg</c> or <c>.pdf</c>).</param>
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
        WriteGrid(path, source, indices, columns, zoom, ShapesFactors.Names);
    }

    /// <summary>Writes the given grid images row by row, <paramref name="columns"/> per row; index −1 leaves a blank tile.
    /// With <paramref name="rowLabels"/>, each row is labelled on its left.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="columns"/> or <paramref name="zoom"/> &lt; 1.</exception>
    /// <exception cref="ArgumentException">An unknown extension, or fewer labels than rows.</exception>
    public static void WriteGrid(string path, IShapesSource source, ReadOnlySpan<int> indices, int columns, int zoom = 2, IReadOnlyList<string>? rowLabels = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(zoom, 1);
        int rows = (indices.Length + columns - 1) / columns;
        if (rowLabels is not null && rowLabels.Count < rows)
            throw new ArgumentException($"{rows} rows need {rows} labels, got {rowLabels.Count}.", nameof(rowLabels));
        int tile = ShapesImage.Width * zoom, labels = rowLabels is null ? 0 : LabelWidth;
        int width = labels + columns * (tile + Margin) + Margin, height = rows * (tile + Margin) + Margin;
        var present = new List<int>();
        foreach (int i in indices) if (i >= 0) present.Add(i);
        var images = new byte[present.Count * ShapesImage.Bytes];
        source.ReadImages(present.ToArray(), images);
        var placed = new List<(int Tile, int Image)>();
        for (int k = 0, next = 0; k < indices.Length; k++)
            if (indices[k] >= 0) placed.Add((k, next++));
        FigureFile.Save(path, width, height, canvas =>
        {
            foreach (var (k, image) in placed)
            {
                using var bitmap = ToBitmap(images.AsSpan(image * ShapesImage.Bytes, ShapesImage.Bytes));
                using var picture = SKImage.FromBitmap(bitmap);
                float left = labels + Margin + k % columns * (tile + Margin), top = Margin + k / columns * (tile + Margin);
                canvas.DrawImage(picture, SKRect.Create(left, top, tile, tile), new SKSamplingOptions(SKFilterMode.Nearest));
            }
            if (rowLabels is null) return;
            using var font = new SKFont(FigureFile.Typeface(), 14);
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            for (int r = 0; r < rows; r++)
                canvas.DrawText(rowLabels[r], labels - 8, Margin + r * (tile + Margin) + tile / 2f + 5, SKTextAlign.Right, font, paint);
        });
    }

    private static SKBitmap ToBitmap(ReadOnlySpan<byte> rgb)
    {
        var bitmap = new SKBitmap(new SKImageInfo(ShapesImage.Width, ShapesImage.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = new byte[ShapesImage.Width * ShapesImage.Height * 4];
        for (int p = 0; p < ShapesImage.Width * ShapesImage.Height; p++)
        {
            rgba[4 * p] = rgb[3 * p];
            rgba[4 * p + 1] = rgb[3 * p + 1];
            rgba[4 * p + 2] = rgb[3 * p + 2];
            rgba[4 * p + 3] = 255;
        }
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return bitmap;
    }
}
