using Disentangle.Tensors;

namespace Disentangle.Metrics;

/// <summary>Cross-correlation matrices between the columns of two sample matrices.</summary>
public static class Correlation
{
    /// <summary>The correlations <c>C[i, j] = corr(a_{:i}, b_{:j})</c>, shape (p, q).</summary>
    /// <remarks>Columns are centred and scaled to unit norm (ranked first for Spearman), then one GEMM gives
    /// <c>C = A_sᵀ B_s</c>.</remarks>
    /// <param name="a">Samples, shape (n, p).</param>
    /// <param name="b">Samples, shape (n, q).</param>
    /// <param name="kind">Pearson or Spearman.</param>
    /// <exception cref="ArgumentException">Row counts differ, n &lt; 2, an entry is not finite, or a column is constant.</exception>
    public static Matrix Compute(Matrix a, Matrix b, CorrelationKind kind = CorrelationKind.Pearson)
    {
        Inputs.CheckPair(a, b, nameof(a), nameof(b));
        var s = Standardization.UnitColumns(IsRanked(kind), (a, nameof(a)), (b, nameof(b)));
        return CrossBlock(s, a.Columns);
    }

    /// <summary>True when <paramref name="kind"/> correlates ranks rather than values.</summary>
    internal static bool IsRanked(CorrelationKind kind) => kind switch
    {
        CorrelationKind.Pearson => false,
        CorrelationKind.Spearman => true,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown correlation kind."),
    };

    /// <summary>Given unit columns <c>S = [A_s | B_s]</c> with <paramref name="p"/> columns in A, returns <c>A_sᵀ B_s</c>.</summary>
    internal static Matrix CrossBlock(Matrix s, int p)
    {
        int q = s.Columns - p, n = s.Rows;
        var c = new Matrix(p, q);
        Gemm.Multiply(true, false, p, q, n, 1.0, s.Data, s.Columns, s.Data.AsSpan(p), s.Columns, 0.0, c.Data, q);
        Clamp(c.Data);
        return c;
    }

    /// <summary>Clips rounding excursions outside [−1, 1].</summary>
    internal static void Clamp(Span<double> correlations)
    {
        for (int k = 0; k < correlations.Length; k++) correlations[k] = Math.Clamp(correlations[k], -1.0, 1.0);
    }
}
