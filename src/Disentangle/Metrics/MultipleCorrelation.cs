using Disentangle.Tensors;

namespace Disentangle.Metrics;

/// <summary>The coefficient of multiple correlation R: how well the codes predict each true factor linearly.</summary>
/// <remarks>Standardise Z and Ẑ; regress each z_i on all of Ẑ by least squares with intercept; R² is the in-sample
/// coefficient of determination and <c>R = (1/d) Σ_i √max(R²_i, 0)</c> (method.md §5). R = 1 for any invertible linear
/// mix of the factors (linear identifiability), whereas MCC = 1 needs a permutation and scaling.</remarks>
public static class MultipleCorrelation
{
    /// <summary>Computes R per factor and on average.</summary>
    /// <param name="trueLatents">True factors Z, shape (n, d).</param>
    /// <param name="learnedLatents">Learned codes Ẑ, shape (n, m), any m ≥ 1.</param>
    /// <exception cref="ArgumentException">Row counts differ, n &lt; 2, an entry is not finite, or a column is constant.</exception>
    public static MultipleCorrelationResult Compute(Matrix trueLatents, Matrix learnedLatents)
    {
        return FromRegression(CodeRegression.Fit(trueLatents, learnedLatents));
    }

    internal static MultipleCorrelationResult FromRegression(CodeRegression regression)
    {
        var perFactor = regression.RSquared.Select(r2 => Math.Sqrt(Math.Max(r2, 0))).ToArray();
        return new MultipleCorrelationResult(perFactor.Average(), perFactor, (double[])regression.RSquared.Clone(), regression.CodeRank);
    }
}
