namespace Disentangle.Tensors;

/// <summary>NumPy broadcasting of two shapes, collapsed to the fewest dimensions: the output is walked as rows of the last
/// collapsed dimension, and each operand is either contiguous along that row (stride 1) or constant on it (stride 0).</summary>
internal sealed class Broadcast
{
    public int[] OutShape { get; }
    public int Rows { get; }
    public int Inner { get; }
    private readonly int[] outerSizes;
    private readonly int[] aStrides, bStrides;   // per outer collapsed dim
    public bool AInnerContiguous { get; }
    public bool BInnerContiguous { get; }

    public Broadcast(string op, int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var outShape = new int[rank];
        var sa = new int[rank];
        var sb = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1)
                throw Tensor.Error(op, $"shapes {Tensor.Format(a)} and {Tensor.Format(b)} cannot be broadcast (dimension {i}: {da} vs {db}).");
            outShape[i] = Math.Max(da, db);
            sa[i] = da == 1 && outShape[i] != 1 ? 0 : 1;   // 1 = "full" along this dim, 0 = broadcast
            sb[i] = db == 1 && outShape[i] != 1 ? 0 : 1;
        }
        OutShape = outShape;
        // Collapse: merge neighbouring dims where each operand is full on both or broadcast on both; drop size-1 dims.
        var sizes = new List<int>();
        var fa = new List<int>();
        var fb = new List<int>();
        for (int i = 0; i < rank; i++)
        {
            if (outShape[i] == 1) continue;
            if (sizes.Count > 0 && fa[^1] == sa[i] && fb[^1] == sb[i]) sizes[^1] *= outShape[i];
            else { sizes.Add(outShape[i]); fa.Add(sa[i]); fb.Add(sb[i]); }
        }
        if (sizes.Count == 0) { sizes.Add(1); fa.Add(1); fb.Add(1); }
        Inner = sizes[^1];
        AInnerContiguous = fa[^1] == 1;
        BInnerContiguous = fb[^1] == 1;
        int outer = sizes.Count - 1;
        outerSizes = sizes.Take(outer).ToArray();
        aStrides = new int[outer];
        bStrides = new int[outer];
        int stA = AInnerContiguous ? Inner : 1, stB = BInnerContiguous ? Inner : 1;
        for (int d = outer - 1; d >= 0; d--)
        {
            aStrides[d] = fa[d] == 1 ? stA : 0;
            if (fa[d] == 1) stA *= sizes[d];
            bStrides[d] = fb[d] == 1 ? stB : 0;
            if (fb[d] == 1) stB *= sizes[d];
        }
        int rows = 1;
        foreach (int s in outerSizes) rows *= s;
        Rows = rows;
    }

    /// <summary>Offsets of row <paramref name="row"/> in A and B.</summary>
    public (int A, int B) Offsets(int row)
    {
        int oa = 0, ob = 0;
        for (int d = outerSizes.Length - 1; d >= 0; d--)
        {
            int i = row % outerSizes[d];
            row /= outerSizes[d];
            oa += i * aStrides[d];
            ob += i * bStrides[d];
        }
        return (oa, ob);
    }

    /// <summary>g[operand] += t summed over the broadcast dimensions (sequential, so the order is fixed).</summary>
    public void ReduceInto(ReadOnlySpan<float> t, Span<float> g, bool forA)
    {
        bool contiguous = forA ? AInnerContiguous : BInnerContiguous;
        for (int r = 0; r < Rows; r++)
        {
            var (oa, ob) = Offsets(r);
            int o = forA ? oa : ob;
            var src = t.Slice(r * Inner, Inner);
            if (contiguous) System.Numerics.Tensors.TensorPrimitives.Add(g.Slice(o, Inner), src, g.Slice(o, Inner));
            else g[o] += System.Numerics.Tensors.TensorPrimitives.Sum(src);
        }
    }
}
