using Disentangle.Tensors;

namespace Disentangle.Metrics;

/// <summary>MCC, R and DCI of one representation, computed together.</summary>
/// <param name="Mcc">Mean correlation coefficient over all learned features.</param>
/// <param name="MultipleCorrelation">Coefficient of multiple correlation R.</param>
/// <param name="Dci">Disentanglement, completeness, informativeness.</param>
public sealed record DisentanglementReport(MccResult Mcc, MultipleCorrelationResult MultipleCorrelation, DciResult Dci)
{
    /// <summary>Evaluates all three metrics, sharing one pass over the data and its GEMMs between them.</summary>
    /// <remarks>Equal to calling <see cref="Metrics.Mcc.Compute"/>, <see cref="Metrics.MultipleCorrelation.Compute"/> and
    /// <see cref="Metrics.Dci.Compute"/> separately. With Pearson the MCC correlations are read from the same Gram matrix
    /// as the regression; Spearman ranks the data once more for MCC.</remarks>
    /// <param name="trueLatents">True factors Z, shape (n, d).</param>
    /// <param name="learnedLatents">Learned codes Ẑ, shape (n, m) with m ≥ d.</param>
    /// <param name="kind">Correlation used by MCC (R and DCI are linear by definition).</param>
    /// <exception cref="ArgumentException">Row counts differ, n &lt; 2, m &lt; d, an entry is not finite, or a column is constant.</exception>
    public static DisentanglementReport Evaluate(Matrix trueLatents, Matrix learnedLatents, CorrelationKind kind = CorrelationKind.Pearson)
    {
        Inputs.CheckPair(trueLatents, learnedLatents, nameof(trueLatents), nameof(learnedLatents));
        int m = learnedLatents.Columns, d = trueLatents.Columns;
        if (m < d)
            throw new ArgumentException($"learnedLatents offers {m} learned features for {d} true factors; MCC needs at least as many features as factors.", nameof(learnedLatents));
        var codes = CenteredColumns.Prepare(learnedLatents, nameof(learnedLatents), ranks: false);
        var factors = CenteredColumns.Prepare(trueLatents, nameof(trueLatents), ranks: false);
        var regression = CodeRegression.Fit(codes, factors, out var codeFactorCorrelations);
        var mcc = Correlation.IsRanked(kind)
            ? Metrics.Mcc.Compute(trueLatents, learnedLatents, kind)
            : Metrics.Mcc.FromCorrelations(codeFactorCorrelations.Transpose(), Enumerable.Range(0, m).ToArray(), kind);
        return new DisentanglementReport(mcc, Metrics.MultipleCorrelation.FromRegression(regression), Metrics.Dci.FromRegression(regression));
    }
}
