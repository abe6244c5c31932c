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
    /// <param name="weighting">disentanglement_lib's weights (default) or the released code's normalised importances.</param>
    /// <exception cref="ArgumentException">Row counts differ, n &lt; 2, an entry is not finite, or a column is constant.</exception>
    public static DciResult Compute(Matrix trueLatents, Matrix learnedLatents, DciWeighting weighting = DciWeighting.DisentanglementLib)
    {
        return FromRegression(CodeRegression.Fit(trueLatents, learnedLatents), weighting);
    }

    /// <summary>DCI scores from an importance matrix alone (informativeness left empty and 0).</summary>
    /// <param name="importance">Non-negative importances, shape (m codes, d factors).</param>
    /// <param name="weighting">disentanglement_lib's weights (default) or the released code's normalised importances.</param>
    /// <exception cref="ArgumentException">An importance is negative or not finite, or the matrix is empty.</exception>
    public static DciResult FromImportance(Matrix importance, DciWeighting weighting = DciWeighting.DisentanglementLib)
    {
        ArgumentNullException.ThrowIfNull(importance);
        if (importance.Rows == 0 || importance.Columns == 0)
            throw new ArgumentException($"The importance matrix is {importance.Rows}×{importance.Columns}; it needs codes and factors.", nameof(importance));
        for (int k = 0; k < importance.Data.Length; k++)
            if (!(importance.Data[k] >= 0) || !double.IsFinite(importance.Data[k]))
                throw new ArgumentException(
                    $"importance[{k / importance.Columns}, {k % importance.Columns}] is {importance.Data[k]}; importances must be finite and ≥ 0.", nameof(importance));
        return Scores(importance, [], 0, weighting);
    }

    internal static DciResult FromRegression(CodeRegression regression, DciWeighting weighting = DciWeighting.DisentanglementLib)
    {
        var beta = regression.Coefficients;
        var importance = new Matrix(beta.Rows, beta.Columns);
        System.Numerics.Tensors.TensorPrimitives.Abs(beta.Data, importance.Data);
        return Scores(importance, (double[])regression.RSquared.Clone(), regression.CodeRank, weighting);
    }

    private static DciResult Scores(Matrix importance, double[] informativeness, int codeRank, DciWeighting weighting)
    {
        if (weighting == DciWeighting.ReleasedCode) return ReleasedCodeScores(importance, informativeness, codeRank);
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

    /// <summary>The released code's D and C: D from the importances normalised per code (rows summing to 1), C from the
    /// importances normalised per factor (columns summing to 1), each then weighted by its matrix's row (column) sums.</summary>
    /// <remarks>An all-zero code (factor) would divide by zero there (NaN); here it keeps zero importances, so it gets score
    /// 0 and weight 0, and the others share the weight equally. All-zero importances give uniform weights, as there.</remarks>
    private static DciResult ReleasedCodeScores(Matrix importance, double[] informativeness, int codeRank)
    {
        int m = importance.Rows, d = importance.Columns;
        var byCode = new Matrix(m, d);
        var byFactor = new Matrix(m, d);
        for (int i = 0; i < m; i++)
        {
            double sum = 0;
            for (int j = 0; j < d; j++) sum += importance[i, j];
            for (int j = 0; j < d; j++) byCode[i, j] = sum > 0 ? importance[i, j] / sum : 0;     // p_ij = R_ij / Σ_k R_ik
        }
        for (int j = 0; j < d; j++)
        {
            double sum = 0;
            for (int i = 0; i < m; i++) sum += importance[i, j];
            for (int i = 0; i < m; i++) byFactor[i, j] = sum > 0 ? importance[i, j] / sum : 0;   // q_ij = R_ij / Σ_k R_kj
        }
        var dScores = Scores(byCode, informativeness, codeRank, DciWeighting.DisentanglementLib);
        var cScores = Scores(byFactor, informativeness, codeRank, DciWeighting.DisentanglementLib);
        return dScores with
        {
            Completeness = cScores.Completeness,
            CompletenessPerFactor = cScores.CompletenessPerFactor,
            FactorWeights = cScores.FactorWeights,
            Importance = importance,
        };
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
