using Disentangle.Tensors;

namespace Disentangle.Metrics;

/// <summary>Unsupervised Disentanglement Ranking (Duan et al. 2020, ICLR): scores a model by how consistently other
/// models trained with the same hyper-parameters (other seeds) find the same features, with no ground truth.</summary>
/// <remarks>For two models with features A (n × p) and B (n × q) on the same inputs, <c>R = |Spearman(A, B)|</c> and
/// <c>UDR(A, B) = ½ [ mean_j max_i R_ij² / Σ_i R_ij + mean_i max_j R_ij² / Σ_j R_ij ]</c>, disentanglement_lib's
/// <c>relative_strength_disentanglement</c>; 1 when B is a permuted, rescaled (monotone) copy of A, small when B mixes
/// A's features. A model's score is the median of its pairwise scores with the other models. Constant features count as
/// inactive (UDR's KL mask): they are left out of R.</remarks>
public static class Udr
{
    /// <summary>The pairwise UDR of two models' features on the same inputs.</summary>
    /// <param name="a">Features of model A, shape (n, p).</param>
    /// <param name="b">Features of model B, shape (n, q).</param>
    /// <exception cref="ArgumentException">Row counts differ, n &lt; 2, or an entry is not finite.</exception>
    public static double PairScore(Matrix a, Matrix b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Inputs.CheckPair(a, b, nameof(a), nameof(b));
        var activeA = Active(a);
        var activeB = Active(b);
        if (activeA.Columns == 0 || activeB.Columns == 0) return 0;
        var r = Correlation.Compute(activeA, activeB, CorrelationKind.Spearman);
        for (int k = 0; k < r.Data.Length; k++) r.Data[k] = Math.Abs(r.Data[k]);
        return 0.5 * (RelativeStrength(r, byColumn: true) + RelativeStrength(r, byColumn: false));
    }

    /// <summary>Each model's UDR: the median of its pairwise scores with every other model.</summary>
    /// <param name="models">Features of models trained with the same hyper-parameters (different seeds), on the same inputs.</param>
    /// <exception cref="ArgumentException">Fewer than two models, or a pair fails <see cref="PairScore"/>.</exception>
    public static double[] ModelScores(IReadOnlyList<Matrix> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count < 2)
            throw new ArgumentException($"UDR compares models with each other; it needs at least 2 (seeds), got {models.Count}.", nameof(models));
        var pair = new double[models.Count, models.Count];
        for (int i = 0; i < models.Count; i++)
            for (int j = i + 1; j < models.Count; j++) pair[i, j] = pair[j, i] = PairScore(models[i], models[j]);
        return Enumerable.Range(0, models.Count)
            .Select(i => Median(Enumerable.Range(0, models.Count).Where(j => j != i).Select(j => pair[i, j]).ToArray())).ToArray();
    }

    /// <summary>mean over columns (rows) of max R² / Σ R along that column (row); an all-zero line scores 0.</summary>
    private static double RelativeStrength(Matrix r, bool byColumn)
    {
        int lines = byColumn ? r.Columns : r.Rows, length = byColumn ? r.Rows : r.Columns;
        double total = 0;
        for (int l = 0; l < lines; l++)
        {
            double max = 0, sum = 0;
            for (int k = 0; k < length; k++)
            {
                double v = byColumn ? r[k, l] : r[l, k];
                max = Math.Max(max, v);
                sum += v;
            }
            total += sum > 0 ? max * max / sum : 0;
        }
        return total / lines;
    }

    private static Matrix Active(Matrix features)
    {
        var keep = new List<int>();
        for (int j = 0; j < features.Columns; j++)
        {
            double first = features[0, j];
            for (int i = 1; i < features.Rows; i++)
                if (features[i, j] != first) { keep.Add(j); break; }
        }
        if (keep.Count == features.Columns) return features;
        var active = new Matrix(features.Rows, keep.Count);
        for (int i = 0; i < features.Rows; i++)
            for (int c = 0; c < keep.Count; c++) active[i, c] = features[i, keep[c]];
        return active;
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        int n = values.Length;
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    }
}
