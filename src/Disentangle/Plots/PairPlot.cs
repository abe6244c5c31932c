using ScottPlot;

namespace Disentangle.Plots;

/// <summary>Draws a pair plot of samples (the paper's Figure 7): a scatter of every pair of columns off the diagonal and
/// each column's histogram on it.</summary>
public static class PairPlot
{
    private const int Bins = 20;

    /// <summary>Writes the d × d pair plot of <paramref name="samples"/> (n × d, row-major) to <paramref name="path"/> in the
    /// format its extension names (<c>.png</c>, <c>.svg</c>, <c>.pdf</c>).</summary>
    /// <param name="path">File to write.</param>
    /// <param name="samples">Samples, row-major, <paramref name="names"/>.Count columns.</param>
    /// <param name="names">Column names.</param>
    /// <param name="title">Text written above the panels.</param>
    /// <param name="cell">Pixels per panel.</param>
    /// <exception cref="ArgumentException">The sample count is not a multiple of the column count, there are no samples, or
    /// an unknown extension.</exception>
    public static void Save(string path, double[] samples, IReadOnlyList<string> names, string title, int cell = 200)
    {
        int d = names.Count;
        if (d == 0 || samples.Length == 0 || samples.Length % d != 0)
            throw new ArgumentException($"{samples.Length} values do not make rows of {d} columns.", nameof(samples));
        FigureFile.FormatOf(path);
        int n = samples.Length / d;
        double[] Column(int j) => [.. Enumerable.Range(0, n).Select(i => samples[i * d + j])];
        var columns = Enumerable.Range(0, d).Select(Column).ToArray();
        PlotFonts.Ensure();
        var plots = new Plot[d, d];
        for (int r = 0; r < d; r++)
            for (int c = 0; c < d; c++)
            {
                var plot = plots[r, c] = new Plot();
                if (r == c)
                {
                    double min = columns[c].Min(), width = Math.Max(columns[c].Max() - min, 1e-12) / Bins;
                    var counts = new double[Bins];
                    foreach (double v in columns[c]) counts[Math.Min((int)((v - min) / width), Bins - 1)]++;
                    plot.Add.Bars(Enumerable.Range(0, Bins).Select(b => new Bar { Position = min + (b + 0.5) * width, Value = counts[b], Size = width }).ToList());
                }
                else
                {
                    var scatter = plot.Add.ScatterPoints(columns[c], columns[r]);
                    scatter.MarkerSize = 2;
                }
                if (r == d - 1) plot.XLabel(names[c]);
                if (c == 0) plot.YLabel(names[r]);
            }
        int top = PanelFigure.CaptionHeight;
        FigureFile.Save(path, cell * d, cell * d + top, canvas =>
        {
            PanelFigure.Caption(canvas, title, cell * d);
            for (int r = 0; r < d; r++)
                for (int c = 0; c < d; c++)
                {
                    canvas.Save();                                     // a plot clears its canvas: confine it to its cell
                    canvas.ClipRect(SkiaSharp.SKRect.Create(c * cell, top + r * cell, cell, cell));
                    canvas.Translate(c * cell, top + r * cell);
                    plots[r, c].Render(canvas, cell, cell);
                    canvas.Restore();
                }
        });
    }
}
