using ScottPlot;

namespace Disentangle.Plots;

/// <summary>One group of bars (e.g. a method): a height ± error per category (e.g. per c).</summary>
/// <param name="Label">Legend entry.</param>
/// <param name="Values">Heights, one per category (NaN leaves a gap).</param>
/// <param name="Errors">Half-widths of the error bars, one per category.</param>
public sealed record BarSeries(string Label, double[] Values, double[] Errors);

/// <summary>One bar panel: a title, category labels on x and one bar per series in each category.</summary>
public sealed record BarPanel(string Title, string XLabel, string YLabel, IReadOnlyList<string> Categories, IReadOnlyList<BarSeries> Series);

/// <summary>Draws grouped bar plots with error bars side by side into one PNG (the paper's bar plots of every c).</summary>
public static class BarPanels
{
    /// <summary>Writes the panels, left to right, to <paramref name="path"/> as a PNG.</summary>
    /// <exception cref="ArgumentException">No panels, or a series whose length differs from its panel's categories.</exception>
    public static void SavePng(string path, IReadOnlyList<BarPanel> panels, int panelWidth = 420, int height = 380)
    {
        if (panels.Count == 0) throw new ArgumentException("A figure needs at least one panel.", nameof(panels));
        foreach (var panel in panels)
            foreach (var series in panel.Series)
                if (series.Values.Length != panel.Categories.Count || series.Errors.Length != panel.Categories.Count)
                    throw new ArgumentException($"Series '{series.Label}' of panel '{panel.Title}' has {series.Values.Length} values and "
                        + $"{series.Errors.Length} errors for {panel.Categories.Count} categories.", nameof(panels));
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
            int groups = Math.Max(panel.Series.Count, 1);
            double width = 0.8 / groups;
            for (int s = 0; s < panel.Series.Count; s++)
            {
                var series = panel.Series[s];
                var color = palette.GetColor(s);
                var bars = new List<Bar>();
                for (int c = 0; c < panel.Categories.Count; c++)
                {
                    if (!double.IsFinite(series.Values[c])) continue;
                    bars.Add(new Bar
                    {
                        Position = c - 0.4 + width * (s + 0.5),
                        Value = series.Values[c],
                        Error = double.IsFinite(series.Errors[c]) ? series.Errors[c] : 0,
                        Size = width * 0.9,
                        FillColor = color,
                    });
                }
                plot.Add.Bars(bars);
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = series.Label, FillColor = color });
            }
            plot.Axes.Bottom.SetTicks(Enumerable.Range(0, panel.Categories.Count).Select(c => (double)c).ToArray(), [.. panel.Categories]);
            plot.Axes.Margins(bottom: 0);
            plot.ShowLegend(Edge.Bottom);
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        multiplot.SavePng(path, panelWidth * panels.Count, height);
    }
}
