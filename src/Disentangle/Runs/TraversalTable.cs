using System.Globalization;
using Disentangle.Io;
using Disentangle.Plots;
using Disentangle.Tensors;

namespace Disentangle.Runs;

/// <summary>The numbers of an evaluation's traversal figure (<c>traversals-{name}.csv</c> beside
/// <c>traversals-{name}.png</c>): per factor, its standardised values along the traversal, every learned feature's response
/// and the feature matched to the factor. Kept with a run, they redraw the figure when the checkpoints are gone.</summary>
/// <param name="Factors">One entry per factor, in factor order.</param>
public sealed record TraversalTable(IReadOnlyList<TraversalTable.Factor> Factors)
{
    /// <summary>One factor's traversal.</summary>
    /// <param name="Name">The factor's name.</param>
    /// <param name="Matched">The feature matched to the factor (MCC's assignment).</param>
    /// <param name="X">The factor's standardised value at each step.</param>
    /// <param name="Features">Steps × features: every feature's value at each step.</param>
    public sealed record Factor(string Name, int Matched, double[] X, Matrix Features);

    private static readonly string[] Leading = ["factor", "value_index", "x", "matched"];

    /// <summary>Writes the table: one row per factor value, columns <c>factor, value_index, x, matched, z0, z1, …</c>.</summary>
    public void Write(string path)
    {
        int features = Factors.Count == 0 ? 0 : Factors[0].Features.Columns;
        using var csv = new CsvWriter(path, [.. Leading, .. Enumerable.Range(0, features).Select(j => $"z{j}")]);
        foreach (var factor in Factors)
            for (int v = 0; v < factor.X.Length; v++)
                csv.WriteRow([factor.Name, v, factor.X[v], factor.Matched, .. factor.Features.Row(v).ToArray().Cast<object?>()]);
    }

    /// <summary>Reads a table written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">The file's columns are not a traversal table's.</exception>
    public static TraversalTable Read(string path)
    {
        var table = CsvTable.Read(path);
        if (!table.Columns.Take(Leading.Length).SequenceEqual(Leading) || table.Columns.Count == Leading.Length)
            throw new InvalidDataException($"'{path}' is not a traversal table: its columns are {string.Join(", ", table.Columns)}, "
                + $"expected {string.Join(", ", Leading)}, z0, z1, ….");
        int features = table.Columns.Count - Leading.Length;
        double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return new TraversalTable([.. table.Rows.GroupBy(row => row[0]).Select(rows =>
        {
            var steps = rows.ToArray();
            var values = new Matrix(steps.Length, features);
            for (int v = 0; v < steps.Length; v++)
                for (int j = 0; j < features; j++) values[v, j] = Number(steps[v][Leading.Length + j]);
            return new Factor(rows.Key, int.Parse(steps[0][3], CultureInfo.InvariantCulture), [.. steps.Select(row => Number(row[2]))], values);
        })]);
    }

    /// <summary>Draws the figure: one panel per factor, every feature against the factor's value, the matched one thick.</summary>
    public void Draw(string path) =>
        LinePanels.Save(path, [.. Factors.Select(f => new Panel($"{f.Name} → matched ẑ{f.Matched}", $"{f.Name} (standardised)", "learned feature",
                Enumerable.Range(0, f.Features.Columns).Select(j => new Series($"ẑ{j}", f.X, f.Features.Column(j), Emphasised: j == f.Matched)).ToArray()))],
            panelWidth: 330, height: 300,
            caption: "each learned feature as one factor moves (the others at their middle value); thick: the feature matched to that factor");
}
