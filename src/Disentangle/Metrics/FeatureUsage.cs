using Disentangle.Tensors;

namespace Disentangle.Metrics;

/// <summary>How often each learned feature is used by the sparse task predictors.</summary>
public static class FeatureUsage
{
    /// <summary>Counts, for each feature j, the tasks whose coefficient row <c>W^{(t)}_{j,:}</c> has an entry with
    /// magnitude above <paramref name="threshold"/>.</summary>
    /// <param name="taskCoefficients">One coefficient matrix per task, each of shape (m, k) (k = 1 for scalar tasks).</param>
    /// <param name="threshold">Magnitude above which a coefficient counts as non-zero (default: exactly non-zero).</param>
    /// <exception cref="ArgumentException">No tasks, or the matrices disagree on m, or the threshold is negative or NaN.</exception>
    public static int[] Count(IEnumerable<Matrix> taskCoefficients, double threshold = 0)
    {
        ArgumentNullException.ThrowIfNull(taskCoefficients);
        if (!(threshold >= 0)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be ≥ 0.");
        int[]? counts = null;
        int task = 0;
        foreach (var w in taskCoefficients)
        {
            ArgumentNullException.ThrowIfNull(w, nameof(taskCoefficients));
            counts ??= new int[w.Rows];
            if (w.Rows != counts.Length)
                throw new ArgumentException($"Task {task} has {w.Rows} feature rows but task 0 has {counts.Length}.", nameof(taskCoefficients));
            for (int j = 0; j < w.Rows; j++)
            {
                foreach (double v in w.Row(j))
                    if (Math.Abs(v) > threshold) { counts[j]++; break; }
            }
            task++;
        }
        return counts ?? throw new ArgumentException("No task coefficients were given.", nameof(taskCoefficients));
    }

    /// <summary>The indices of the <paramref name="count"/> most used features, most used first; ties go to the lower index.</summary>
    /// <exception cref="ArgumentOutOfRangeException">count is negative or exceeds the number of features, or a count is negative.</exception>
    public static int[] MostUsed(IReadOnlyList<int> usageCounts, int count)
    {
        ArgumentNullException.ThrowIfNull(usageCounts);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, usageCounts.Count);
        for (int j = 0; j < usageCounts.Count; j++)
            if (usageCounts[j] < 0)
                throw new ArgumentOutOfRangeException(nameof(usageCounts), usageCounts[j], $"usageCounts[{j}] is negative.");
        return Enumerable.Range(0, usageCounts.Count)
            .OrderByDescending(j => usageCounts[j]).ThenBy(j => j)
            .Take(count).ToArray();
    }
}
