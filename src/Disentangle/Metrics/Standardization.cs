using System.Numerics.Tensors;
using Disentangle.Tensors;

namespace Disentangle.Metrics;

/// <summary>Column standardisation into one matrix whose Gram matrix is the correlation matrix.</summary>
internal static class Standardization
{
    /// <summary>Relative spread below which a column counts as constant: std ≤ 1e-12 · max |value|.</summary>
    public const double ConstantTolerance = 1e-12;

    /// <summary>Concatenates the blocks' columns and scales each to mean 0 and Euclidean norm 1, so that
    /// <c>SᵀS</c> holds Pearson correlations. With <paramref name="ranks"/>, columns are first replaced by their
    /// average ranks (Spearman).</summary>
    /// <exception cref="ArgumentException">A column has zero variance (named by block and index).</exception>
    public static Matrix UnitColumns(bool ranks, params (Matrix Block, string Name)[] blocks)
    {
        int n = blocks[0].Block.Rows, p = blocks.Sum(b => b.Block.Columns);
        var s = new Matrix(n, p);
        int offset = 0;
        foreach (var (block, _) in blocks)
        {
            int q = block.Columns;
            for (int i = 0; i < n; i++) block.Data.AsSpan(i * q, q).CopyTo(s.Data.AsSpan(i * p + offset, q));
            offset += q;
        }
        if (ranks) Ranking.RankColumnsInPlace(s);

        var mean = new double[p];
        var maxAbs = new double[p];
        for (int i = 0; i < n; i++)
        {
            var row = s.Row(i);
            TensorPrimitives.Add(mean, row, mean);                         // μ = Σ_i x_i / n
            TensorPrimitives.MaxMagnitude(maxAbs, row, maxAbs);
        }
        TensorPrimitives.Divide(mean, n, mean);
        var sumSquares = new double[p];
        for (int i = 0; i < n; i++)
        {
            var row = s.Row(i);
            TensorPrimitives.Subtract(row, mean, row);                     // x_i ← x_i − μ
            TensorPrimitives.MultiplyAdd(row, row, sumSquares, sumSquares); // ss = Σ_i (x_i − μ)²
        }
        var inverseNorm = new double[p];
        for (int j = 0; j < p; j++)
        {
            double std = Math.Sqrt(sumSquares[j] / n);
            if (!(std > ConstantTolerance * Math.Abs(maxAbs[j])) || sumSquares[j] == 0)
                throw ConstantColumn(blocks, j, mean[j], ranks);
            inverseNorm[j] = 1 / Math.Sqrt(sumSquares[j]);
        }
        for (int i = 0; i < n; i++) TensorPrimitives.Multiply(s.Row(i), inverseNorm, s.Row(i));
        return s;
    }

    private static ArgumentException ConstantColumn((Matrix Block, string Name)[] blocks, int column, double mean, bool ranks)
    {
        foreach (var (block, name) in blocks)
        {
            if (column < block.Columns)
                return new ArgumentException(
                    $"{name} column {column} is constant (zero variance{(ranks ? "" : $", value ≈ {block[0, column]}")}); " +
                    "correlations with it are undefined. Drop the column or check the representation.", name);
            column -= block.Columns;
        }
        throw new InvalidOperationException("Column index out of range.");
    }
}
