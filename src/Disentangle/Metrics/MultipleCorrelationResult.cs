namespace Disentangle.Metrics;

/// <summary>The coefficient of multiple correlation between true factors and learned codes.</summary>
/// <param name="R">Mean of <paramref name="PerFactor"/>, in [0, 1].</param>
/// <param name="PerFactor"><c>R_i = √max(R²_i, 0)</c> for each true factor, length d.</param>
/// <param name="RSquared">R²_i of the least-squares regression of factor i on all codes, length d.</param>
/// <param name="CodeRank">Numerical rank of the learned codes (m unless some are collinear; then the minimum-norm fit is used).</param>
public sealed record MultipleCorrelationResult(double R, double[] PerFactor, double[] RSquared, int CodeRank);
