namespace Disentangle.Plots;

/// <summary>Makes ScottPlot draw text on machines without fontconfig: registers DejaVu Sans (Debian <c>fonts-dejavu-core</c>).</summary>
internal static class PlotFonts
{
    private static readonly Lazy<bool> registered = new(Register);
    private static string? _regular, _bold;

    /// <summary>Registers the fonts once; true when a font was found (plots still render without, but with no text).</summary>
    public static bool Ensure() => registered.Value;

    /// <summary>The DejaVu Sans typeface for text drawn directly with SkiaSharp (SkiaSharp's default where it is missing).</summary>
    public static SkiaSharp.SKTypeface Typeface(bool bold)
    {
        Ensure();
        var file = bold ? _bold ?? _regular : _regular;
        return (file is null ? null : SkiaSharp.SKTypeface.FromFile(file)) ?? SkiaSharp.SKTypeface.Default;
    }

    private static bool Register()
    {
        string[] folders = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts"];
        foreach (var folder in folders)
        {
            var regular = Path.Combine(folder, "DejaVuSans.ttf");
            if (!File.Exists(regular)) continue;
            ScottPlot.Fonts.AddFontFile("DejaVu Sans", regular, bold: false, italic: false);
            _regular = regular;
            var bold = Path.Combine(folder, "DejaVuSans-Bold.ttf");
            if (File.Exists(bold)) { ScottPlot.Fonts.AddFontFile("DejaVu Sans", bold, bold: true, italic: false); _bold = bold; }
            ScottPlot.Fonts.Default = "DejaVu Sans";
            return true;
        }
        return false;
    }
}
