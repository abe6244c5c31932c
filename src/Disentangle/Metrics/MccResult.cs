using Disentangle.Tensors;

namespace Disentangle.Metrics;

/// <summary>The mean correlation coefficient and the matching behind it.</summary>
/// <param name="Mcc">Mean of <paramref name="PerFactor"/>, in [0, 1].</param>
/// <param name="Assignment">For each true factor i, the column of Ẑ matched to it (an index into Ẑ's columns).</param>
/// <param name="Correlations">Signed correlations, shape (d, |Columns|): <c>[i, k] = corr(z_i, ẑ_{Columns[k]})</c>.</param>
/// <param name="PerFactor">|correlation| of each true factor with its matched column, length d.</param>
/// <param name="Columns">The columns of Ẑ that took part (all of 0…m−1 unless a subset was requested).</param>
/// <param name="Kind">The correlation coefficient used.</param>
public sealed record MccResult(double Mcc, int[] Assignment, Matrix Correlations, double[] PerFactor, int[] Columns, CorrelationKind Kind);
