using Disentangle.Tensors;

namespace Disentangle.Metrics;

/// <summary>An optimal assignment of rows to columns: pairs <c>(RowIndices[k], ColumnIndices[k])</c>, sorted by row.</summary>
/// <param name="RowIndices">Assigned rows, ascending; length min(rows, columns).</param>
/// <param name="ColumnIndices">The column assigned to each entry of <paramref name="RowIndices"/>.</param>
/// <param name="Total">Sum of the cost (or score) over the assigned pairs.</param>
public sealed record LinearAssignmentResult(int[] RowIndices, int[] ColumnIndices, double Total);

/// <summary>The rectangular linear assignment problem, solved exactly by shortest augmenting paths.</summary>
/// <remarks>Minimises (or maximises) <c>Σ_k C[r_k, c_k]</c> over injective matchings of the smaller side into the larger
/// one. Jonker–Volgenant's shortest augmenting path with dual potentials, in Crouse's rectangular form (the algorithm
/// behind SciPy's <c>linear_sum_assignment</c>); O(r²·c) for r ≤ c. Reference: D. F. Crouse, "On implementing 2D
/// rectangular assignment algorithms", IEEE TAES 52(4), 2016.</remarks>
public static class LinearAssignment
{
    /// <summary>The assignment with the smallest total cost.</summary>
    /// <param name="cost">Cost matrix, shape (r, c); any of r ≤ c or r &gt; c.</param>
    /// <exception cref="ArgumentException">The matrix has a NaN or infinite entry.</exception>
    public static LinearAssignmentResult Minimize(Matrix cost) => Solve(cost, maximize: false);

    /// <summary>The assignment with the largest total score (e.g. a sum of absolute correlations).</summary>
    /// <inheritdoc cref="Minimize(Matrix)"/>
    public static LinearAssignmentResult Maximize(Matrix score) => Solve(score, maximize: true);

    private static LinearAssignmentResult Solve(Matrix cost, bool maximize)
    {
        ArgumentNullException.ThrowIfNull(cost);
        for (int k = 0; k < cost.Data.Length; k++)
            if (!double.IsFinite(cost.Data[k]))
                throw new ArgumentException(
                    $"Cost entry ({k / cost.Columns}, {k % cost.Columns}) is {cost.Data[k]}; every entry must be finite.", nameof(cost));
        bool transpose = cost.Rows > cost.Columns;
        var c = transpose ? cost.Transpose() : cost.Clone();
        if (maximize)
            for (int k = 0; k < c.Data.Length; k++) c.Data[k] = -c.Data[k];
        int[] columnOfRow = ShortestAugmentingPath(c);

        int pairs = columnOfRow.Length;
        var rows = new int[pairs];
        var columns = new int[pairs];
        for (int i = 0; i < pairs; i++)
        {
            rows[i] = transpose ? columnOfRow[i] : i;
            columns[i] = transpose ? i : columnOfRow[i];
        }
        if (transpose) Array.Sort(rows, columns);
        double total = 0;
        for (int k = 0; k < pairs; k++) total += cost[rows[k], columns[k]];
        return new LinearAssignmentResult(rows, columns, total);
    }

    /// <summary>Minimum-cost assignment of every row of <paramref name="c"/> (r ≤ c columns); returns the column of each row.</summary>
    private static int[] ShortestAugmentingPath(Matrix c)
    {
        int nr = c.Rows, nc = c.Columns;
        var u = new double[nr];                 // row potentials
        var v = new double[nc];                 // column potentials
        var shortest = new double[nc];          // shortest reduced path cost to each column
        var path = new int[nc];                 // predecessor row of each column on the path
        var col4row = new int[nr];
        var row4col = new int[nc];
        var scannedRows = new bool[nr];
        var scannedColumns = new bool[nc];
        var remaining = new int[nc];
        Array.Fill(col4row, -1);
        Array.Fill(row4col, -1);
        Array.Fill(path, -1);

        for (int current = 0; current < nr; current++)
        {
            int sink = AugmentingPath(c, current, u, v, path, row4col, shortest, scannedRows, scannedColumns, remaining, out double minValue);
            System.Diagnostics.Debug.Assert(sink >= 0, "Finite costs always admit a complete assignment.");

            u[current] += minValue;                                                  // update the duals
            for (int i = 0; i < nr; i++)
                if (scannedRows[i] && i != current) u[i] += minValue - shortest[col4row[i]];
            for (int j = 0; j < nc; j++)
                if (scannedColumns[j]) v[j] -= minValue - shortest[j];

            for (int j = sink; ;)                                                    // augment along the path
            {
                int i = path[j];
                row4col[j] = i;
                (col4row[i], j) = (j, col4row[i]);
                if (i == current) break;
            }
        }
        return col4row;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static int AugmentingPath(Matrix c, int current, double[] u, double[] v, int[] path, int[] row4col,
        double[] shortest, bool[] scannedRows, bool[] scannedColumns, int[] remaining, out double minValue)
    {
        int nc = c.Columns;
        var cost = c.Data;
        minValue = 0;
        int numRemaining = nc;
        for (int it = 0; it < nc; it++) remaining[it] = nc - it - 1;   // reversed order, as in Crouse/SciPy
        Array.Clear(scannedRows);
        Array.Clear(scannedColumns);
        Array.Fill(shortest, double.PositiveInfinity);

        int sink = -1;
        for (int i = current; sink == -1;)
        {
            int index = -1;
            double lowest = double.PositiveInfinity;
            scannedRows[i] = true;
            for (int it = 0; it < numRemaining; it++)
            {
                int j = remaining[it];
                double r = minValue + cost[i * nc + j] - u[i] - v[j];         // reduced cost of extending the path
                if (r < shortest[j]) { path[j] = i; shortest[j] = r; }
                // prefer an unassigned column on ties: it ends the search earlier
                if (shortest[j] < lowest || (shortest[j] == lowest && row4col[j] == -1))
                {
                    lowest = shortest[j];
                    index = it;
                }
            }
            minValue = lowest;
            if (index < 0) return -1;
            int jj = remaining[index];
            if (row4col[jj] == -1) sink = jj;
            else i = row4col[jj];
            scannedColumns[jj] = true;
            remaining[index] = remaining[--numRemaining];
        }
        return sink;
    }
}
