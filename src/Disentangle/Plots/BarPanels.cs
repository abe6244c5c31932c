using ScottPlot;

namespace Disentangle.Plots;

/// <summary>One group of bars (e.g. a method): a height ± error per category (e.g. per c).</summary>
/// <param name="Label">Legend entry.</param>
/// <param name="Values">Heights, one per category (NaN leaves a gap).</param>
/// <param name="Errors">Half-widths of the error bars, one per category.</param>
public sealed record BarSeries(string Label, double[] Values, double[] Errors);

/// <summary>One bar panel: a title, category labels on x and one bar per series in each category.</summary>
public sealed record BarPanel(string Title, string XLabel, string YLabel, IReadOnlyList<string> Categories, IReadOnlyList<BarSeries> Series);

/// <summary>Draws grouped bar plots with error bars side by side into one figure (the paper's bar plots of every c), in the
/// layout of <see cref="LinePanels"/>: one colour per label across the panels, one shared legend, an optional caption.</summary>
public static class BarPanels
{
    /// <summary>Writes the panels, left to right, to <paramref name="path"/> in the format its extension names
    /// (<c>.png</c>, <c>.svg</c>, <c>.pdf</c>), with <paramref name="caption"/> above them.</summary>
    /// <exception cref="ArgumentException">No panels, a series whose length differs from its panel's categories, or an unknown extension.</exception>
    public static void Save(string path, IReadOnlyList<BarPanel> panels, int panelWidth = 420, int height = 380, string? caption = null)
    {
        if (panels.Count == 0) throw new ArgumentException("A figure needs at least one panel.", nameof(panels));
        foreach (var panel in panels)
            foreach (var series in panel.Series)
                if (series.Values.Length != panel.Categories.Count || series.Errors.Length != panel.Categories.Count)
                    throw new ArgumentException($"Series '{series.Label}' of panel '{panel.Title}' has {series.Values.Length} values and "
                        + $"{series.Errors.Length} errors for {panel.Categories.Count} categories.", nameof(panels));
        PlotFonts.Ensure();
        var (styles, shared) = PanelFigure.Styles([.. panels.Select(p => (IReadOnlyList<string>)[.. p.Series.Select(s => s.Label)])]);
        var plots = panels.Select((panel, p) => Draw(panel, styles, p, panels.Count, shared)).ToArray();
        PanelFigure.Save(path, plots, styles, shared, panelWidth, height, caption);
    }

    private static Plot Draw(BarPanel panel, IReadOnlyDictionary<string, int> styles, int index, int count, bool shared)
    {
        var plot = PanelFigure.Plot(panel.Title, panel.XLabel, panel.YLabel);
        var palette = new ScottPlot.Palettes.Category10();
        double width = 0.8 / Math.Max(panel.Series.Count, 1);
        for (int s = 0; s < panel.Series.Count; s++)
        {
            var series = panel.Series[s];
            var color = palette.GetColor(styles[series.Label]);
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
        PanelFigure.Legend(plot, index, count, shared);
        return plot;
    }
}
