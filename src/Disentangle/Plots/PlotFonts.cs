namespace Disentangle.Plots;

/// <summary>Makes ScottPlot draw text on machines without fontconfig: registers DejaVu Sans (Debian <c>fonts-dejavu-core</c>).</summary>
internal static class PlotFonts
{
    private static readonly Lazy<bool> registered = new(Register);

    /// <summary>Registers the fonts once; true when a font was found (plots still render without, but with no text).</summary>
    public static bool Ensure() => registered.Value;

    private static bool Register()
    {
        string[] folders = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts"];
        foreach (var folder in folders)
        {
            var regular = Path.Combine(folder, "DejaVuSans.ttf");
            if (!File.Exists(regular)) continue;
            ScottPlot.Fonts.AddFontFile("DejaVu Sans", regular, bold: false, italic: false);
            var bold = Path.Combine(folder, "DejaVuSans-Bold.ttf");
            if (File.Exists(bold)) ScottPlot.Fonts.AddFontFile("DejaVu Sans", bold, bold: true, italic: false);
            ScottPlot.Fonts.Default = "DejaVu Sans";
            return true;
        }
        return false;
    }
}
