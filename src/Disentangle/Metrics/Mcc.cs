using Disentangle.Tensors;

namespace Disentangle.Metrics;

/// <summary>Mean correlation coefficient (MCC) between true and learned latents.</summary>
/// <remarks><c>MCC = max_π (1/d) Σ_i |corr(z_i, ẑ_π(i))|</c> over injective maps π from the d true factors to the m ≥ d
/// learned features; π is found by <see cref="LinearAssignment"/>. Invariant to permutation, sign and scale of Ẑ, so
/// MCC = 1 exactly when Ẑ is disentangled (method.md §5; Khemakhem et al. 2020).</remarks>
public static class Mcc
{
    /// <summary>MCC over all learned features.</summary>
    /// <param name="trueLatents">True factors Z, shape (n, d).</param>
    /// <param name="learnedLatents">Learned features Ẑ, shape (n, m) with m ≥ d.</param>
    /// <param name="kind">Pearson (default) or Spearman.</param>
    /// <exception cref="ArgumentException">Row counts differ, n &lt; 2, m &lt; d, an entry is not finite, or a column is constant.</exception>
    public static MccResult Compute(Matrix trueLatents, Matrix learnedLatents, CorrelationKind kind = CorrelationKind.Pearson)
    {
        Inputs.CheckPair(trueLatents, learnedLatents, nameof(trueLatents), nameof(learnedLatents));
        CheckEnoughFeatures(trueLatents.Columns, learnedLatents.Columns, nameof(learnedLatents));
        bool ranks = Correlation.IsRanked(kind);
        var correlations = CenteredColumns.Correlations(CenteredColumns.Prepare(trueLatents, nameof(trueLatents), ranks),
            CenteredColumns.Prepare(learnedLatents, nameof(learnedLatents), ranks));
        return FromCorrelations(correlations, Enumerable.Range(0, learnedLatents.Columns).ToArray(), kind);
    }

    /// <summary>MCC restricted to the learned features listed in <paramref name="features"/> (e.g. the most used ones).</summary>
    /// <remarks>Only the listed columns are read, so unused (possibly constant) features do not matter.</remarks>
    /// <param name="trueLatents">True factors Z, shape (n, d).</param>
    /// <param name="learnedLatents">Learned features Ẑ, shape (n, m).</param>
    /// <param name="features">Distinct column indices of Ẑ, at least d of them.</param>
    /// <param name="kind">Pearson (default) or Spearman.</param>
    /// <exception cref="ArgumentException">As <see cref="Compute"/>; or an index is out of range or repeated.</exception>
    public static MccResult ComputeOnFeatures(Matrix trueLatents, Matrix learnedLatents, IReadOnlyList<int> features,
        CorrelationKind kind = CorrelationKind.Pearson)
    {
        ArgumentNullException.ThrowIfNull(features);
        Inputs.CheckPair(trueLatents, learnedLatents, nameof(trueLatents), nameof(learnedLatents));
        var columns = features.ToArray();
        if (columns.Distinct().Count() != columns.Length)
            throw new ArgumentException($"features repeats a column: [{string.Join(", ", columns)}].", nameof(features));
        foreach (int j in columns)
            if (j < 0 || j >= learnedLatents.Columns)
                throw new ArgumentOutOfRangeException(nameof(features), j, $"Feature index must be in [0, {learnedLatents.Columns}).");
        CheckEnoughFeatures(trueLatents.Columns, columns.Length, nameof(features));
        var subset = SelectColumns(learnedLatents, columns);
        bool ranks = Correlation.IsRanked(kind);
        var correlations = CenteredColumns.Correlations(CenteredColumns.Prepare(trueLatents, nameof(trueLatents), ranks),
            CenteredColumns.Prepare(subset, nameof(learnedLatents), ranks, columnIndices: columns));
        return FromCorrelations(correlations, columns, kind);
    }

    /// <summary>"MCC of the used features": MCC on the d features most often non-zero in the task predictors.</summary>
    /// <param name="trueLatents">True factors Z, shape (n, d).</param>
    /// <param name="learnedLatents">Learned features Ẑ, shape (n, m).</param>
    /// <param name="usageCounts">For each learned feature, how many tasks use it (see <see cref="FeatureUsage.Count"/>), length m.</param>
    /// <param name="kind">Pearson (default) or Spearman.</param>
    /// <exception cref="ArgumentException">As <see cref="Compute"/>; or <paramref name="usageCounts"/> does not have m entries.</exception>
    public static MccResult ComputeOnUsedFeatures(Matrix trueLatents, Matrix learnedLatents, IReadOnlyList<int> usageCounts,
        CorrelationKind kind = CorrelationKind.Pearson)
    {
        ArgumentNullException.ThrowIfNull(trueLatents);
        ArgumentNullException.ThrowIfNull(learnedLatents);
        ArgumentNullException.ThrowIfNull(usageCounts);
        if (usageCounts.Count != learnedLatents.Columns)
            throw new ArgumentException(
                $"usageCounts has {usageCounts.Count} entries but learnedLatents has {learnedLatents.Columns} columns.", nameof(usageCounts));
        CheckEnoughFeatures(trueLatents.Columns, learnedLatents.Columns, nameof(learnedLatents));
        return ComputeOnFeatures(trueLatents, learnedLatents, FeatureUsage.MostUsed(usageCounts, trueLatents.Columns), kind);
    }

    /// <summary>Builds the result from signed correlations (d, q) whose columns are the listed features.</summary>
    internal static MccResult FromCorrelations(Matrix correlations, int[] columns, CorrelationKind kind)
    {
        var absolute = new Matrix(correlations.Rows, correlations.Columns);
        System.Numerics.Tensors.TensorPrimitives.Abs(correlations.Data, absolute.Data);
        var matching = LinearAssignment.Maximize(absolute);
        int d = correlations.Rows;
        var assignment = new int[d];
        var perFactor = new double[d];
        for (int k = 0; k < d; k++)
        {
            int i = matching.RowIndices[k], c = matching.ColumnIndices[k];
            assignment[i] = columns[c];
            perFactor[i] = absolute[i, c];
        }
        return new MccResult(perFactor.Average(), assignment, correlations, perFactor, columns, kind);
    }

    private static void CheckEnoughFeatures(int d, int m, string name)
    {
        if (m < d)
            throw new ArgumentException($"{name} offers {m} learned features for {d} true factors; MCC needs at least as many features as factors.", name);
    }

    private static Matrix SelectColumns(Matrix x, int[] columns)
    {
        var result = new Matrix(x.Rows, columns.Length);
        for (int i = 0; i < x.Rows; i++)
        {
            var source = x.Row(i);
            var target = result.Row(i);
            for (int k = 0; k < columns.Length; k++) target[k] = source[columns[k]];
        }
        return result;
    }
}
