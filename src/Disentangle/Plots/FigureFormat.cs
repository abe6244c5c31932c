using SkiaSharp;

namespace Disentangle.Plots;

/// <summary>The file format of a figure (<c>--format</c>).</summary>
public enum FigureFormat
{
    /// <summary>A raster image.</summary>
    Png,
    /// <summary>A vector image for the web.</summary>
    Svg,
    /// <summary>A vector page for papers.</summary>
    Pdf,
}

/// <summary>Writes what a drawing routine paints on a SkiaSharp canvas as PNG, SVG or PDF (chosen by the file's extension).</summary>
public static class FigureFile
{
    /// <summary>The extension of <paramref name="format"/>, with its dot (<c>.png</c>).</summary>
    public static string Extension(FigureFormat format) => "." + format.ToString().ToLowerInvariant();

    /// <summary><paramref name="path"/> with the extension of <paramref name="format"/>.</summary>
    public static string WithFormat(string path, FigureFormat format) => Path.ChangeExtension(path, Extension(format));

    /// <summary>The file a command's <c>--out</c> <paramref name="given"/> names, as a full path with the extension of
    /// <paramref name="format"/>.</summary>
    /// <exception cref="IOException"><paramref name="given"/> is a folder.</exception>
    public static string OutputPath(string given, FigureFormat format)
    {
        string full = Path.GetFullPath(given);
        if (Directory.Exists(full)) throw new IOException($"Cannot write '{full}': it is a folder.");
        return WithFormat(full, format);
    }

    /// <summary>The format named by <paramref name="path"/>'s extension.</summary>
    /// <exception cref="ArgumentException">The extension is not .png, .svg or .pdf.</exception>
    public static FigureFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => FigureFormat.Png,
        ".svg" => FigureFormat.Svg,
        ".pdf" => FigureFormat.Pdf,
        var other => throw new ArgumentException($"A figure is written as .png, .svg or .pdf, not '{other}' ({path}).", nameof(path)),
    };

    /// <summary>Paints a <paramref name="width"/> × <paramref name="height"/> figure with <paramref name="draw"/> (on white)
    /// and writes it to <paramref name="path"/> in the format its extension names, creating the folder.</summary>
    /// <exception cref="ArgumentException">An unknown extension.</exception>
    public static void Save(string path, int width, int height, Action<SKCanvas> draw)
    {
        var format = FormatOf(path);
        PlotFonts.Ensure();
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        using var stream = new MemoryStream();
        switch (format)
        {
            case FigureFormat.Png:
                using (var surface = SKSurface.Create(new SKImageInfo(width, height)))
                {
                    surface.Canvas.Clear(SKColors.White);
                    draw(surface.Canvas);
                    using var image = surface.Snapshot();
                    using var data = image.Encode(SKEncodedImageFormat.Png, 100);
                    data.SaveTo(stream);
                }
                break;
            case FigureFormat.Svg:
                using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream))
                {
                    canvas.Clear(SKColors.White);
                    draw(canvas);
                }
                break;
            case FigureFormat.Pdf:
                using (var document = SKDocument.CreatePdf(stream))
                {
                    var canvas = document.BeginPage(width, height);
                    canvas.Clear(SKColors.White);
                    draw(canvas);
                    document.EndPage();
                    document.Close();
                }
                break;
        }
        Io.AtomicFile.Write(path, s => stream.WriteTo(s));
    }

    /// <summary>A typeface for text drawn outside ScottPlot (DejaVu Sans when installed).</summary>
    internal static SKTypeface Typeface(bool bold = false) => PlotFonts.Typeface(bold);
}
