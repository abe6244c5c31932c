using Disentangle.Tensors;

namespace Disentangle.Metrics;

/// <summary>Cross-correlation matrices between the columns of two sample matrices.</summary>
public static class Correlation
{
    /// <summary>The correlations <c>C[i, j] = corr(a_{:i}, b_{:j})</c>, shape (p, q).</summary>
    /// <remarks>One GEMM <c>AᵀB</c> on the data (ranked first for Spearman), corrected for the column means and scaled by
    /// the column spreads; see <see cref="CenteredColumns"/> for the numerics.</remarks>
    /// <param name="a">Samples, shape (n, p).</param>
    /// <param name="b">Samples, shape (n, q).</param>
    /// <param name="kind">Pearson or Spearman.</param>
    /// <exception cref="ArgumentException">Row counts differ, n &lt; 2, an entry is not finite, or a column is constant.</exception>
    public static Matrix Compute(Matrix a, Matrix b, CorrelationKind kind = CorrelationKind.Pearson)
    {
        Inputs.CheckPair(a, b, nameof(a), nameof(b));
        bool ranks = IsRanked(kind);
        return CenteredColumns.Correlations(CenteredColumns.Prepare(a, nameof(a), ranks), CenteredColumns.Prepare(b, nameof(b), ranks));
    }

    /// <summary>True when <paramref name="kind"/> correlates ranks rather than values.</summary>
    internal static bool IsRanked(CorrelationKind kind) => kind switch
    {
        CorrelationKind.Pearson => false,
        CorrelationKind.Spearman => true,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown correlation kind."),
    };
}
