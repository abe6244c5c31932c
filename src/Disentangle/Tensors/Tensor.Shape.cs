using System.Numerics.Tensors;

namespace Disentangle.Tensors;

public sealed partial class Tensor
{
    /// <summary>The same values with another shape; shares <see cref="Data"/> (a view). One dimension may be −1 (inferred).</summary>
    /// <exception cref="ArgumentException">The element counts differ, or more than one dimension is −1.</exception>
    public Tensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var resolved = (int[])shape.Clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < resolved.Length; i++)
        {
            if (resolved[i] == -1)
            {
                if (infer >= 0) throw Error("Reshape", $"more than one −1 in {Format(shape)}.", nameof(shape));
                infer = i;
            }
            else if (resolved[i] < 0) throw Error("Reshape", $"negative dimension in {Format(shape)}.", nameof(shape));
            else known *= resolved[i];
        }
        if (infer >= 0 && known > 0 && Length % known == 0) resolved[infer] = (int)(Length / known);
        if (Product(resolved) != Length || (infer >= 0 && known == 0))
            throw Error("Reshape", $"cannot view {Format(Shape)} ({Length} values) as {Format(shape)}.", nameof(shape));
        var y = new Tensor(Data, resolved);
        return Node(y, [this], dy => Chunked(Length, (s, n) => TensorPrimitives.Add(Grad.AsSpan(s, n), dy.AsSpan(s, n), Grad.AsSpan(s, n))));
    }

    /// <summary>Merges the dimensions from <paramref name="startAxis"/> on into one (a view): (N, C, H, W) → (N, C·H·W).</summary>
    public Tensor Flatten(int startAxis = 1)
    {
        int a = startAxis == Rank ? Rank : NormalizeAxis(startAxis, "Flatten");
        var shape = new int[a + 1];
        Array.Copy(Shape, shape, a);
        shape[a] = Product(Shape.AsSpan(a));
        return Reshape(shape);
    }

    /// <summary>Swaps two axes (a copy).</summary>
    public Tensor Transpose(int axis0, int axis1)
    {
        var perm = Enumerable.Range(0, Rank).ToArray();
        int a = NormalizeAxis(axis0, "Transpose"), b = NormalizeAxis(axis1, "Transpose");
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(perm);
    }

    /// <summary>Reorders the axes: result axis i is input axis <c>perm[i]</c> (a copy).</summary>
    /// <exception cref="ArgumentException"><paramref name="perm"/> is not a permutation of 0..Rank−1.</exception>
    public Tensor Permute(params int[] perm)
    {
        ArgumentNullException.ThrowIfNull(perm);
        if (perm.Length != Rank || perm.Order().Where((p, i) => p != i).Any())
            throw Error("Permute", $"[{string.Join(", ", perm)}] is not a permutation of the axes of {Format(Shape)}.", nameof(perm));
        var outShape = perm.Select(p => Shape[p]).ToArray();
        var inStrides = Strides(Shape);
        var srcStrides = perm.Select(p => inStrides[p]).ToArray();   // input stride of each output axis
        var y = Empty(outShape);
        PermuteCopy(Data, y.Data, outShape, srcStrides, forward: true);
        return Node(y, [this], dy => PermuteCopy(dy, Grad!, outShape, srcStrides, forward: false));   // ∂x[src(i)] += dy[i]
    }

    /// <summary>Joins tensors along <paramref name="axis"/>; all other dimensions must match.</summary>
    /// <exception cref="ArgumentException">No tensors, different ranks, or other dimensions differ.</exception>
    public static Tensor Concat(Tensor[] tensors, int axis)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Length == 0) throw Error("Concat", "no tensors given.", nameof(tensors));
        var first = tensors[0];
        int a = first.NormalizeAxis(axis, "Concat");
        foreach (var t in tensors)
            if (t.Rank != first.Rank || Enumerable.Range(0, t.Rank).Any(i => i != a && t.Shape[i] != first.Shape[i]))
                throw Error("Concat", $"shapes {string.Join(", ", tensors.Select(x => Format(x.Shape)))} differ outside axis {axis}.", nameof(tensors));
        var shape = (int[])first.Shape.Clone();
        shape[a] = tensors.Sum(t => t.Shape[a]);
        int outer = Product(first.Shape.AsSpan(0, a)), inner = Product(first.Shape.AsSpan(a + 1));
        var y = Empty(shape);
        int rowOut = shape[a] * inner;
        var offsets = new int[tensors.Length];
        for (int t = 1; t < tensors.Length; t++) offsets[t] = offsets[t - 1] + tensors[t - 1].Shape[a] * inner;
        for (int t = 0; t < tensors.Length; t++)
        {
            int row = tensors[t].Shape[a] * inner, off = offsets[t];
            var src = tensors[t].Data;
            for (int o = 0; o < outer; o++) src.AsSpan(o * row, row).CopyTo(y.Data.AsSpan(o * rowOut + off, row));
        }
        var parents = (Tensor[])tensors.Clone();
        return Node(y, parents, dy =>
        {
            for (int t = 0; t < parents.Length; t++)
            {
                if (!parents[t].RequiresGrad) continue;
                int row = parents[t].Shape[a] * inner, off = offsets[t];
                var g = parents[t].Grad!;
                for (int o = 0; o < outer; o++)
                    TensorPrimitives.Add(g.AsSpan(o * row, row), dy.AsSpan(o * rowOut + off, row), g.AsSpan(o * row, row));
            }
        });
    }

    /// <summary>The indices [start, start + length) along <paramref name="axis"/> (a copy).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range does not fit in the axis.</exception>
    public Tensor Slice(int axis, int start, int length)
    {
        int a = NormalizeAxis(axis, "Slice");
        if (start < 0 || length < 0 || start + length > Shape[a])
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice: [{start}, {start + length}) does not fit axis {axis} of {Format(Shape)}.");
        var shape = (int[])Shape.Clone();
        shape[a] = length;
        int outer = Product(Shape.AsSpan(0, a)), inner = Product(Shape.AsSpan(a + 1));
        int rowIn = Shape[a] * inner, row = length * inner, off = start * inner;
        var y = Empty(shape);
        for (int o = 0; o < outer; o++) Data.AsSpan(o * rowIn + off, row).CopyTo(y.Data.AsSpan(o * row, row));
        return Node(y, [this], dy =>
        {
            for (int o = 0; o < outer; o++)
                TensorPrimitives.Add(Grad.AsSpan(o * rowIn + off, row), dy.AsSpan(o * row, row), Grad.AsSpan(o * rowIn + off, row));
        });
    }

    internal static int[] Strides(int[] shape)
    {
        var s = new int[shape.Length];
        int st = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { s[i] = st; st *= shape[i]; }
        return s;
    }

    /// <summary>forward: dst[i] = src[off(i)]; backward: dst[off(i)] += src[i], walking the output in row-major order.</summary>
    private static void PermuteCopy(float[] src, float[] dst, int[] outShape, int[] srcStrides, bool forward)
    {
        int rank = outShape.Length;
        if (rank == 0) { if (forward) dst[0] = src[0]; else dst[0] += src[0]; return; }
        int inner = outShape[^1], innerStride = srcStrides[^1];
        int rows = Product(outShape.AsSpan(0, rank - 1));
        Parallelism.For(rows, inner, r =>
        {
            int off = 0, rr = r;
            for (int d = rank - 2; d >= 0; d--) { off += rr % outShape[d] * srcStrides[d]; rr /= outShape[d]; }
            int o = r * inner;
            if (forward) for (int j = 0; j < inner; j++) dst[o + j] = src[off + j * innerStride];
            else for (int j = 0; j < inner; j++) dst[off + j * innerStride] += src[o + j];
        });
    }
}
