using System.Globalization;
using ScottPlot;

namespace Disentangle.Plots;

/// <summary>One line of a panel: y ± error at each x.</summary>
/// <param name="Label">Legend entry.</param>
/// <param name="X">Abscissae.</param>
/// <param name="Y">Means.</param>
/// <param name="Error">Half-widths of the error bars (e.g. standard errors); null for none.</param>
/// <param name="Emphasised">Drawn thicker than the others (e.g. the feature matched to a factor).</param>
public sealed record Series(string Label, double[] X, double[] Y, double[]? Error = null, bool Emphasised = false);

/// <summary>How a panel's x axis is drawn.</summary>
public enum AxisScale
{
    /// <summary>Linear in x.</summary>
    Linear,
    /// <summary>For correlations ρ ∈ [0, 1): positions −log10(1 − ρ), ticks labelled with ρ, so 0.9 and 0.99 lie apart.</summary>
    Correlation,
}

/// <summary>Where a value lies on an axis of a given <see cref="AxisScale"/>.</summary>
public static class AxisScales
{
    /// <summary>The drawn position of <paramref name="x"/>: x itself, or −log10(1 − x) (1 − x floored at 1e-4) for correlations.</summary>
    public static double Position(AxisScale scale, double x) => scale == AxisScale.Correlation ? -Math.Log10(Math.Max(1 - x, 1e-4)) : x;
}

/// <summary>One panel: a title, axis labels and its lines.</summary>
public sealed record Panel(string Title, string XLabel, string YLabel, IReadOnlyList<Series> Lines, AxisScale XScale = AxisScale.Linear);

/// <summary>Draws panels of lines with error bars side by side into one figure (the paper's figure style): one style
/// (colour, marker, dash; no dashes in SVG) per label across the panels, so lines that coincide stay distinguishable; one shared legend
/// when every panel has the same lines; an optional caption above (e.g. "mean ± s.e. over 3 seeds").</summary>
public static class LinePanels
{
    private static readonly MarkerShape[] Markers = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp,
        MarkerShape.FilledDiamond, MarkerShape.OpenCircle, MarkerShape.OpenSquare, MarkerShape.OpenTriangleUp, MarkerShape.OpenDiamond];
    private static readonly LinePattern[] Patterns = [LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted, LinePattern.DenselyDashed];

    /// <summary>Writes the panels, left to right, to <paramref name="path"/> in the format its extension names
    /// (<c>.png</c>, <c>.svg</c>, <c>.pdf</c>), with <paramref name="caption"/> above them.</summary>
    /// <exception cref="ArgumentException">No panels, a series whose arrays differ in length, or an unknown extension.</exception>
    public static void Save(string path, IReadOnlyList<Panel> panels, int panelWidth = 420, int height = 420, string? caption = null)
    {
        if (panels.Count == 0) throw new ArgumentException("A figure needs at least one panel.", nameof(panels));
        foreach (var series in panels.SelectMany(p => p.Lines))
            if (series.X.Length != series.Y.Length || (series.Error is not null && series.Error.Length != series.Y.Length))
                throw new ArgumentException($"Series '{series.Label}' has {series.X.Length} x, {series.Y.Length} y and {series.Error?.Length} error values.", nameof(panels));
        PlotFonts.Ensure();
        var (styles, shared) = PanelFigure.Styles([.. panels.Select(p => (IReadOnlyList<string>)[.. p.Lines.Select(l => l.Label)])]);
        // SkiaSharp's SVG backend cannot draw dashes (it draws the lines solid and complains on stderr): SVG lines stay solid,
        // told apart by colour and marker.
        bool dashes = FigureFile.FormatOf(path) != FigureFormat.Svg;
        var plots = panels.Select((panel, p) => Draw(panel, styles, p, panels.Count, shared, dashes)).ToArray();
        PanelFigure.Save(path, plots, styles, shared, panelWidth, height, caption);
    }

    private static Plot Draw(Panel panel, IReadOnlyDictionary<string, int> styles, int index, int count, bool shared, bool dashes)
    {
        var plot = PanelFigure.Plot(panel.Title, panel.XLabel, panel.YLabel);
        var palette = new ScottPlot.Palettes.Category10();
        double position(double x) => AxisScales.Position(panel.XScale, x);
        foreach (var series in panel.Lines)
        {
            int style = styles[series.Label];
            var color = palette.GetColor(style);
            var x = series.X.Select(position).ToArray();
            var line = plot.Add.Scatter(x, series.Y, color);
            line.LegendText = series.Label;
            line.LineWidth = series.Emphasised ? 4 : 2;
            line.MarkerSize = series.Emphasised ? 10 : 7;
            line.MarkerShape = Markers[style % Markers.Length];
            if (dashes) line.LinePattern = Patterns[style % Patterns.Length];   // lines that coincide still show their dashes and markers
            if (series.Error is not null)
                plot.Add.ErrorBar(x, series.Y, series.Error).LineColor = color;
        }
        if (panel.XScale == AxisScale.Correlation)
        {
            var ticks = panel.Lines.SelectMany(l => l.X).Distinct().Order().ToArray();
            plot.Axes.Bottom.SetTicks(ticks.Select(position).ToArray(), ticks.Select(t => t.ToString("G4", CultureInfo.InvariantCulture)).ToArray());
        }
        PanelFigure.Legend(plot, index, count, shared);
        return plot;
    }
}
