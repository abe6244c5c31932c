using Disentangle.Tensors;

namespace Disentangle.Metrics;

/// <summary>Disentanglement, completeness and informativeness (Eastwood &amp; Williams 2018) from a linear importance matrix.</summary>
/// <param name="Disentanglement">Weighted mean of <paramref name="DisentanglementPerCode"/> with <paramref name="CodeWeights"/>.</param>
/// <param name="Completeness">Weighted mean of <paramref name="CompletenessPerFactor"/> with <paramref name="FactorWeights"/>.</param>
/// <param name="Informativeness">Mean of <paramref name="InformativenessPerFactor"/>.</param>
/// <param name="DisentanglementPerCode">D_i for each learned code, length m.</param>
/// <param name="CompletenessPerFactor">C_j for each true factor, length d.</param>
/// <param name="InformativenessPerFactor">Regression R² of each true factor on all codes, length d.</param>
/// <param name="CodeWeights">ρ_i = Σ_j R_ij / Σ R, length m (uniform when all importances are zero).</param>
/// <param name="FactorWeights">Σ_i R_ij / Σ R, length d (uniform when all importances are zero).</param>
/// <param name="Importance">R_ij = |β_ij|, shape (m codes, d factors), β the standardised regression coefficients.</param>
/// <param name="CodeRank">Numerical rank of the learned codes (m unless some are collinear; then the minimum-norm fit is used).</param>
public sealed record DciResult(
    double Disentanglement, double Completeness, double Informativeness,
    double[] DisentanglementPerCode, double[] CompletenessPerFactor, double[] InformativenessPerFactor,
    double[] CodeWeights, double[] FactorWeights, Matrix Importance, int CodeRank);
