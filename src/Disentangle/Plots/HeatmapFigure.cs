using ScottPlot;

namespace Disentangle.Plots;

/// <summary>Draws a matrix as an annotated heatmap (e.g. |correlation| between true factors and learned features).</summary>
public static class HeatmapFigure
{
    /// <summary>Writes <paramref name="values"/> (rows × columns) with one labelled cell per entry, in the format that
    /// <paramref name="path"/>'s extension names (<c>.png</c>, <c>.svg</c>, <c>.pdf</c>).</summary>
    /// <exception cref="ArgumentException">The label counts do not match the matrix, or an unknown extension.</exception>
    public static void Save(string path, double[,] values, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels, string title)
    {
        int rows = values.GetLength(0), columns = values.GetLength(1);
        if (rowLabels.Count != rows || columnLabels.Count != columns)
            throw new ArgumentException($"A {rows}×{columns} heatmap needs {rows} row and {columns} column labels, got {rowLabels.Count} and {columnLabels.Count}.");
        PlotFonts.Ensure();
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        plot.Add.ColorBar(heatmap);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
            {
                var label = plot.Add.Text(values[i, j].ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), j, rows - 1 - i);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontColor = values[i, j] > 0.6 ? Colors.Black : Colors.White;
            }
        plot.Axes.Left.SetTicks(Enumerable.Range(0, rows).Select(i => (double)(rows - 1 - i)).ToArray(), [.. rowLabels]);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, columns).Select(j => (double)j).ToArray(), [.. columnLabels]);
        plot.Title(title);
        FigureFile.Save(path, 120 + 70 * columns, 100 + 55 * rows, canvas => plot.Render(canvas, 120 + 70 * columns, 100 + 55 * rows));
    }
}
