using ScottPlot;

namespace Disentangle.Plots;

/// <summary>Draws a pair plot of samples (the paper's Figure 7): a scatter of every pair of columns off the diagonal and
/// each column's histogram on it.</summary>
public static class PairPlot
{
    private const int Bins = 20;

    /// <summary>Writes the d × d pair plot of <paramref name="samples"/> (n × d, row-major) to a PNG.</summary>
    /// <param name="path">PNG file to write.</param>
    /// <param name="samples">Samples, row-major, <paramref name="names"/>.Count columns.</param>
    /// <param name="names">Column names.</param>
    /// <param name="title">Text written above the first panel.</param>
    /// <param name="cell">Pixels per panel.</param>
    /// <exception cref="ArgumentException">The sample count is not a multiple of the column count, or there are no samples.</exception>
    public static void SavePng(string path, double[] samples, IReadOnlyList<string> names, string title, int cell = 200)
    {
        int d = names.Count;
        if (d == 0 || samples.Length == 0 || samples.Length % d != 0)
            throw new ArgumentException($"{samples.Length} values do not make rows of {d} columns.", nameof(samples));
        int n = samples.Length / d;
        double[] Column(int j) => [.. Enumerable.Range(0, n).Select(i => samples[i * d + j])];
        var columns = Enumerable.Range(0, d).Select(Column).ToArray();
        PlotFonts.Ensure();
        var multiplot = new Multiplot();
        multiplot.AddPlots(d * d);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(d, d);
        for (int r = 0; r < d; r++)
            for (int c = 0; c < d; c++)
            {
                var plot = multiplot.GetPlot(r * d + c);
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
                if (r == 0 && c == 0) plot.Title(title);
            }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        Io.AtomicFile.WriteVia(path, temporary => multiplot.SavePng(temporary, cell * d, cell * d));
    }
}
