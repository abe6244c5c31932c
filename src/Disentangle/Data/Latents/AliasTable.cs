namespace Disentangle.Data.Latents;

/// <summary>Walker's alias method (Vose's construction): O(1) draws from a fixed discrete distribution.</summary>
/// <remarks>Draw: pick a column i uniformly, keep it with probability <c>threshold[i]</c>, else take <c>alias[i]</c>.
/// Exact up to floating-point rounding of the thresholds.</remarks>
internal sealed class AliasTable
{
    private readonly double[] _threshold;
    private readonly int[] _alias;

    /// <summary>Builds the table from non-negative weights with a positive sum (need not be normalised).</summary>
    public AliasTable(ReadOnlySpan<double> weights)
    {
        int n = weights.Length;
        double total = 0;
        foreach (double w in weights) total += w;
        _threshold = new double[n];
        _alias = new int[n];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (int i = 0; i < n; i++)
        {
            _threshold[i] = weights[i] * n / total;
            _alias[i] = i;
            (_threshold[i] < 1.0 ? small : large).Push(i);
        }
        while (small.Count > 0 && large.Count > 0)
        {
            int s = small.Pop(), l = large.Pop();
            _alias[s] = l;
            _threshold[l] -= 1.0 - _threshold[s];     // l gives the rest of column s
            (_threshold[l] < 1.0 ? small : large).Push(l);
        }
        while (large.Count > 0) _threshold[large.Pop()] = 1.0;   // rounding leftovers
        while (small.Count > 0) _threshold[small.Pop()] = 1.0;
    }

    public int Sample(Random random)
    {
        int i = random.Next(_threshold.Length);
        return random.NextDouble() < _threshold[i] ? i : _alias[i];
    }
}
