using Disentangle.Tensors;

namespace Disentangle.Metrics;

/// <summary>Ranks with ties averaged (SciPy's <c>rankdata(method="average")</c>), the first step of Spearman's correlation.</summary>
public static class Ranking
{
    /// <summary>The 1-based ranks of <paramref name="values"/>; equal values share the mean of the ranks they span.</summary>
    /// <exception cref="ArgumentException">A value is NaN.</exception>
    public static double[] AverageRanks(ReadOnlySpan<double> values)
    {
        var keys = values.ToArray();
        for (int i = 0; i < keys.Length; i++)
            if (double.IsNaN(keys[i])) throw new ArgumentException($"values[{i}] is NaN; ranks are undefined.", nameof(values));
        var ranks = new double[keys.Length];
        var order = new int[keys.Length];
        AverageRanksInto(keys, order, ranks);
        return ranks;
    }

    /// <summary>Replaces each column of <paramref name="x"/> by its average ranks, columns in parallel.</summary>
    internal static void RankColumnsInPlace(Matrix x)
    {
        int n = x.Rows, p = x.Columns;
        Parallel.For(0, p, Parallelism.Options, () => (Keys: new double[n], Order: new int[n], Ranks: new double[n]), (j, _, buffers) =>
        {
            var data = x.Data;
            for (int i = 0; i < n; i++) buffers.Keys[i] = data[i * p + j];
            AverageRanksInto(buffers.Keys, buffers.Order, buffers.Ranks);
            for (int i = 0; i < n; i++) data[i * p + j] = buffers.Ranks[i];
            return buffers;
        }, _ => { });
    }

    /// <summary>Sorts <paramref name="keys"/> (destroyed) and writes the average rank of each original position.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void AverageRanksInto(double[] keys, int[] order, double[] ranks)
    {
        int n = keys.Length;
        for (int i = 0; i < n; i++) order[i] = i;
        Array.Sort(keys, order);
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && keys[end] == keys[start]) end++;
            double rank = 0.5 * (start + end + 1);          // mean of the 1-based ranks start+1 … end
            for (int k = start; k < end; k++) ranks[order[k]] = rank;
            start = end;
        }
    }
}
