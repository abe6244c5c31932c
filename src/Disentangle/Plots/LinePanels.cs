using Disentangle.Io;
using ScottPlot;

namespace Disentangle.Plots;

/// <summary>One line of a panel: y ± error at each x.</summary>
/// <param name="Label">Legend entry.</param>
/// <param name="X">Abscissae.</param>
/// <param name="Y">Means.</param>
/// <param name="Error">Half-widths of the error bars (e.g. standard errors); null for none.</param>
public sealed record Series(string Label, double[] X, double[] Y, double[]? Error = null);

/// <summary>One panel: a title, axis labels and its lines.</summary>
public sealed record Panel(string Title, string XLabel, string YLabel, IReadOnlyList<Series> Lines);

/// <summary>Draws panels of lines with error bars side by side into one PNG (the paper's figure style).</summary>
public static class LinePanels
{
    /// <summary>Writes the panels, left to right, to <paramref name="path"/> as a PNG.</summary>
    /// <exception cref="ArgumentException">No panels, or a series whose arrays differ in length.</exception>
    public static void SavePng(string path, IReadOnlyList<Panel> panels, int panelWidth = 420, int height = 420)
    {
        if (panels.Count == 0) throw new ArgumentException("A figure needs at least one panel.", nameof(panels));
        foreach (var series in panels.SelectMany(p => p.Lines))
            if (series.X.Length != series.Y.Length || (series.Error is not null && series.Error.Length != series.Y.Length))
                throw new ArgumentException($"Series '{series.Label}' has {series.X.Length} x, {series.Y.Length} y and {series.Error?.Length} error values.", nameof(panels));
        PlotFonts.Ensure();
        var multiplot = new Multiplot();
        multiplot.AddPlots(panels.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var palette = new ScottPlot.Palettes.Category10();
        for (int p = 0; p < panels.Count; p++)
        {
            var plot = multiplot.GetPlot(p);
            var panel = panels[p];
            plot.Title(panel.Title);
            plot.XLabel(panel.XLabel);
            plot.YLabel(panel.YLabel);
            for (int s = 0; s < panel.Lines.Count; s++)
            {
                var series = panel.Lines[s];
                var color = palette.GetColor(s);
                var line = plot.Add.Scatter(series.X, series.Y, color);
                line.LegendText = series.Label;
                line.LineWidth = 2;
                line.MarkerSize = 6;
                if (series.Error is not null)
                {
                    var bars = plot.Add.ErrorBar(series.X, series.Y, series.Error);
                    bars.LineColor = color;
                }
            }
            plot.ShowLegend(Edge.Bottom);
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        AtomicFile.WriteVia(path, temporary => multiplot.SavePng(temporary, panelWidth * panels.Count, height));
    }
}
