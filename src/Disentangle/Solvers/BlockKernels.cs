using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Disentangle.Solvers;

/// <summary>The two kernels of a block update with k outputs stored as k rows of length n (stride n): k dot products
/// with one column, and a rank-one residual update. Up to four outputs share each pass over the column.</summary>
internal static class BlockKernels
{
    /// <summary><c>result[c] = x · r[c·n .. (c+1)·n)</c> for c &lt; result.Length, n = x.Length.</summary>
    public static void Dots(ReadOnlySpan<double> x, ReadOnlySpan<double> r, Span<double> result)
    {
        int n = x.Length, k = result.Length;
        if (k == 1 || !Vector256.IsHardwareAccelerated) { for (int c = 0; c < k; c++) result[c] = TensorPrimitives.Dot(x, r.Slice(c * n, n)); return; }
        ref double xs = ref MemoryMarshal.GetReference(x);
        ref double rs = ref MemoryMarshal.GetReference(r);
        int c0 = 0;
        for (; c0 + 4 <= k; c0 += 4)
        {
            ref double r0 = ref Unsafe.Add(ref rs, c0 * n);
            ref double r1 = ref Unsafe.Add(ref r0, n);
            ref double r2 = ref Unsafe.Add(ref r1, n);
            ref double r3 = ref Unsafe.Add(ref r2, n);
            Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
            int i = 0;
            for (; i + 4 <= n; i += 4)
            {
                var xv = Vector256.LoadUnsafe(ref xs, (nuint)i);
                a0 = Vector256.FusedMultiplyAdd(xv, Vector256.LoadUnsafe(ref r0, (nuint)i), a0);
                a1 = Vector256.FusedMultiplyAdd(xv, Vector256.LoadUnsafe(ref r1, (nuint)i), a1);
                a2 = Vector256.FusedMultiplyAdd(xv, Vector256.LoadUnsafe(ref r2, (nuint)i), a2);
                a3 = Vector256.FusedMultiplyAdd(xv, Vector256.LoadUnsafe(ref r3, (nuint)i), a3);
            }
            double s0 = Vector256.Sum(a0), s1 = Vector256.Sum(a1), s2 = Vector256.Sum(a2), s3 = Vector256.Sum(a3);
            for (; i < n; i++)
            {
                double xi = Unsafe.Add(ref xs, i);
                s0 += xi * Unsafe.Add(ref r0, i); s1 += xi * Unsafe.Add(ref r1, i);
                s2 += xi * Unsafe.Add(ref r2, i); s3 += xi * Unsafe.Add(ref r3, i);
            }
            result[c0] = s0; result[c0 + 1] = s1; result[c0 + 2] = s2; result[c0 + 3] = s3;
        }
        for (; c0 < k; c0++) result[c0] = TensorPrimitives.Dot(x, r.Slice(c0 * n, n));
    }

    /// <summary><c>r[c·n + i] −= delta[c]·x[i]</c> for every c, n = x.Length (R ← R − x δᵀ, stored transposed).</summary>
    public static void SubtractOuter(ReadOnlySpan<double> x, ReadOnlySpan<double> delta, Span<double> r)
    {
        int n = x.Length, k = delta.Length, c0 = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double xs = ref MemoryMarshal.GetReference(x);
            for (; c0 + 4 <= k; c0 += 4)
            {
                ref double r0 = ref MemoryMarshal.GetReference(r.Slice(c0 * n));
                ref double r1 = ref Unsafe.Add(ref r0, n);
                ref double r2 = ref Unsafe.Add(ref r1, n);
                ref double r3 = ref Unsafe.Add(ref r2, n);
                double d0 = -delta[c0], d1 = -delta[c0 + 1], d2 = -delta[c0 + 2], d3 = -delta[c0 + 3];
                Vector256<double> v0 = Vector256.Create(d0), v1 = Vector256.Create(d1), v2 = Vector256.Create(d2), v3 = Vector256.Create(d3);
                int i = 0;
                for (; i + 4 <= n; i += 4)
                {
                    var xv = Vector256.LoadUnsafe(ref xs, (nuint)i);
                    Vector256.FusedMultiplyAdd(xv, v0, Vector256.LoadUnsafe(ref r0, (nuint)i)).StoreUnsafe(ref r0, (nuint)i);
                    Vector256.FusedMultiplyAdd(xv, v1, Vector256.LoadUnsafe(ref r1, (nuint)i)).StoreUnsafe(ref r1, (nuint)i);
                    Vector256.FusedMultiplyAdd(xv, v2, Vector256.LoadUnsafe(ref r2, (nuint)i)).StoreUnsafe(ref r2, (nuint)i);
                    Vector256.FusedMultiplyAdd(xv, v3, Vector256.LoadUnsafe(ref r3, (nuint)i)).StoreUnsafe(ref r3, (nuint)i);
                }
                for (; i < n; i++)
                {
                    double xi = Unsafe.Add(ref xs, i);
                    Unsafe.Add(ref r0, i) += d0 * xi; Unsafe.Add(ref r1, i) += d1 * xi;
                    Unsafe.Add(ref r2, i) += d2 * xi; Unsafe.Add(ref r3, i) += d3 * xi;
                }
            }
        }
        for (; c0 < k; c0++)
        {
            if (delta[c0] == 0) continue;
            var rc = r.Slice(c0 * n, n);
            TensorPrimitives.MultiplyAdd(x, -delta[c0], rc, rc);
        }
    }
}
