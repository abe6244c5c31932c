using ScottPlot;
using SkiaSharp;

namespace Disentangle.Plots;

/// <summary>The layout every multi-panel figure shares (<see cref="LinePanels"/>, <see cref="BarPanels"/>): one style per
/// label across the panels, panels side by side, one shared legend at the right when every panel has the same labels (else
/// a legend under each panel), an optional caption above, written through <see cref="FigureFile"/> (PNG, SVG or PDF, atomically).</summary>
internal static class PanelFigure
{
    /// <summary>The height of the band above the panels that holds a caption.</summary>
    public const int CaptionHeight = 28;

    /// <summary>Writes <paramref name="caption"/> centred in the band at the top of a <paramref name="width"/>-wide figure.</summary>
    public static void Caption(SKCanvas canvas, string caption, int width)
    {
        using var font = new SKFont(FigureFile.Typeface(), 15);
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawText(caption, width / 2f, CaptionHeight - 8, SKTextAlign.Center, font, paint);
    }

    /// <summary>The style index of each label (first appearance order), and whether every panel has the same labels.</summary>
    public static (IReadOnlyDictionary<string, int> Styles, bool Shared) Styles(IReadOnlyList<IReadOnlyList<string>> labelsPerPanel)
    {
        var styles = labelsPerPanel.SelectMany(l => l).Distinct().Select((label, i) => (label, i)).ToDictionary(e => e.label, e => e.i);
        bool shared = styles.Count > 0 && labelsPerPanel.All(l => l.ToHashSet().SetEquals(styles.Keys));
        return (styles, shared);
    }

    /// <summary>A new plot with the panel's title and axis labels.</summary>
    public static Plot Plot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>Draws the legend of panel <paramref name="index"/>: the shared one on the last panel only, or one under each.</summary>
    public static void Legend(Plot plot, int index, int count, bool shared)
    {
        if (!shared) plot.ShowLegend(Edge.Bottom);
        else if (index == count - 1) plot.ShowLegend(Edge.Right);
        else plot.HideLegend();
    }

    /// <summary>Writes <paramref name="plots"/> left to right, each <paramref name="panelWidth"/> wide (the last one wider by
    /// the shared legend's width when <paramref name="shared"/>; each one at least as wide as its legend under it otherwise),
    /// with <paramref name="caption"/> above, to <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">An unknown extension.</exception>
    public static void Save(string path, IReadOnlyList<Plot> plots, IReadOnlyDictionary<string, int> styles, bool shared, int panelWidth, int height, string? caption)
    {
        FigureFile.FormatOf(path);
        int top = caption is null ? 0 : CaptionHeight;
        int labelsWidth = styles.Count == 0 ? 0 : LegendWidth(styles.Keys.Max(k => k.Length));
        int legendWidth = shared ? labelsWidth : 0;
        if (!shared) panelWidth = Math.Max(panelWidth, labelsWidth);
        int width = panelWidth * plots.Count + legendWidth;
        FigureFile.Save(path, width, height + top, canvas =>
        {
            if (caption is not null) Caption(canvas, caption, width);
            for (int p = 0; p < plots.Count; p++)
            {
                int left = p * panelWidth, panel = panelWidth + (p == plots.Count - 1 ? legendWidth : 0);
                canvas.Save();                                         // a plot clears its canvas: confine it to its panel
                canvas.ClipRect(SKRect.Create(left, top, panel, height));
                canvas.Translate(left, top);
                plots[p].Render(canvas, panel, height);
                canvas.Restore();
            }
        });
    }

    /// <summary>The width of a legend whose longest label has <paramref name="characters"/> characters (marker, padding and
    /// about 8 pixels a character, up to 60 characters).</summary>
    private static int LegendWidth(int characters) => 60 + 8 * Math.Min(characters, 60);
}
