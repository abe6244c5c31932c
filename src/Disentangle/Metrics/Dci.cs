using Disentangle.Tensors;

namespace Disentangle.Metrics;

/// <summary>DCI scores (Eastwood &amp; Williams 2018) with the linear-regression importance matrix of method.md §5.</summary>
/// <remarks>Both Z and Ẑ are standardised; each z_j is regressed on all of Ẑ by least squares (with intercept, which is
/// then 0) and <c>R_ij = |β_ij|</c> (code i, factor j). With <c>p_ij = R_ij / Σ_k R_ik</c> and
/// <c>q_ij = R_ij / Σ_k R_kj</c>: <c>D_i = 1 − H_d(p_i·)</c>, <c>C_j = 1 − H_m(q_·j)</c>, entropies in base d (factors) and
/// m (codes). Overall D weighs codes by <c>Σ_j R_ij / Σ R</c>, overall C weighs factors by <c>Σ_i R_ij / Σ R</c>.
/// As in disentanglement_lib, 1e-11 is added to every importance before the entropies (an all-zero code gets D = 0 and
/// weight 0) and all-zero importances give uniform weights. With d = 1 every D_i is 1 and with m = 1 every C_j is 1
/// (the entropy base would be 1). Informativeness is each regression's R².</remarks>
public static class Dci
{
    /// <summary>Added to importances before normalising, as disentanglement_lib does.</summary>
    public const double EntropyEpsilon = 1e-11;

    /// <summary>Computes D, C and I per code/factor and overall.</summary>
    /// <param name="trueLatents">True factors Z, shape (n, d).</param>
    /// <param name="learnedLatents">Learned codes Ẑ, shape (n, m), any m ≥ 1.</param>
    /// <exception cref="ArgumentException">Row counts differ, n &lt; 2, an entry is not finite, or a column is constant.</exception>
    public static DciResult Compute(Matrix trueLatents, Matrix learnedLatents)
    {
        return FromRegression(CodeRegression.Fit(trueLatents, learnedLatents));
    }

    /// <summary>DCI scores from an importance matrix alone (informativeness left empty and 0).</summary>
    /// <param name="importance">Non-negative importances, shape (m codes, d factors).</param>
    /// <exception cref="ArgumentException">An importance is negative or not finite, or the matrix is empty.</exception>
    public static DciResult FromImportance(Matrix importance)
    {
        ArgumentNullException.ThrowIfNull(importance);
        if (importance.Rows == 0 || importance.Columns == 0)
            throw new ArgumentException($"The importance matrix is {importance.Rows}×{importance.Columns}; it needs codes and factors.", nameof(importance));
        for (int k = 0; k < importance.Data.Length; k++)
            if (!(importance.Data[k] >= 0) || !double.IsFinite(importance.Data[k]))
                throw new ArgumentException(
                    $"importance[{k / importance.Columns}, {k % importance.Columns}] is {importance.Data[k]}; importances must be finite and ≥ 0.", nameof(importance));
        return Scores(importance, [], 0);
    }

    internal static DciResult FromRegression(CodeRegression regression)
    {
        var beta = regression.Coefficients;
        var importance = new Matrix(beta.Rows, beta.Columns);
        System.Numerics.Tensors.TensorPrimitives.Abs(beta.Data, importance.Data);
        return Scores(importance, (double[])regression.RSquared.Clone(), regression.CodeRank);
    }

    private static DciResult Scores(Matrix importance, double[] informativeness, int codeRank)
    {
        int m = importance.Rows, d = importance.Columns;
        var perCode = new double[m];
        var row = new double[d];
        for (int i = 0; i < m; i++)
        {
            importance.Row(i).CopyTo(row);
            perCode[i] = 1 - Entropy(row, d);                      // D_i = 1 − H_d(p_i·)
        }
        var perFactor = new double[d];
        var column = new double[m];
        for (int j = 0; j < d; j++)
        {
            for (int i = 0; i < m; i++) column[i] = importance[i, j];
            perFactor[j] = 1 - Entropy(column, m);                 // C_j = 1 − H_m(q_·j)
        }
        double total = importance.Data.Sum();
        var codeWeights = new double[m];
        var factorWeights = new double[d];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < d; j++)
            {
                double r = total > 0 ? importance[i, j] / total : 1.0 / (m * d);
                codeWeights[i] += r;
                factorWeights[j] += r;
            }
        return new DciResult(
            Dot(perCode, codeWeights), Dot(perFactor, factorWeights),
            informativeness.Length == 0 ? 0 : informativeness.Average(),
            perCode, perFactor, informativeness, codeWeights, factorWeights, importance, codeRank);
    }

    /// <summary>Entropy in base <paramref name="logBase"/> of (values + ε) normalised to sum 1; 0 when the base is 1.</summary>
    private static double Entropy(double[] values, int logBase)
    {
        if (logBase == 1) return 0;
        double sum = 0;
        foreach (double v in values) sum += v + EntropyEpsilon;
        double h = 0;
        foreach (double v in values)
        {
            double p = (v + EntropyEpsilon) / sum;
            h -= p * Math.Log(p);
        }
        return h / Math.Log(logBase);
    }

    private static double Dot(double[] a, double[] b) => System.Numerics.Tensors.TensorPrimitives.Dot<double>(a, b);
}
