using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Disentangle.Tensors;

/// <summary>Managed GEMM used when OpenBLAS is not available: blocked, packed, SIMD register-tiled.</summary>
/// <remarks>The GotoBLAS scheme: for each panel of <c>KC</c> inner indices and <c>NC</c> columns, op(B) is packed into
/// slivers <c>NR</c> wide; each task packs an <c>MC</c>-row block of α·op(A) into slivers <c>MR</c> high and runs the
/// <c>MR×NR</c> micro-kernel (<c>MR·2</c> vector accumulators, fused multiply-add) over its columns. Tasks own disjoint
/// blocks of C and accumulate the panels in a fixed order, so results do not depend on thread scheduling.</remarks>
internal static unsafe class ManagedGemm
{
    private const int MR = 6, KC = 256, MC = 96, NC = 3072;

    public static void Multiply<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)                                                     // C ← β C
        {
            var row = c.Slice(i * ldc, n);
            if (T.IsZero(beta)) row.Clear();
            else if (beta != T.One) for (int j = 0; j < n; j++) row[j] *= beta;
        }
        if (T.IsZero(alpha) || k == 0) return;
        int nr = 2 * Vector<T>.Count;
        fixed (T* pa = a) fixed (T* pb = b) fixed (T* pc = c)
        {
            var ctx = new Context<T>((nint)pa, lda, transA, (nint)pb, ldb, transB, (nint)pc, ldc, alpha, nr);
            var bPack = ArrayPool<T>.Shared.Rent(KC * (Math.Min(NC, n) + nr));
            try
            {
                for (int jc = 0; jc < n; jc += NC)
                {
                    int nc = Math.Min(NC, n - jc);
                    for (int pc0 = 0; pc0 < k; pc0 += KC)
                    {
                        int kc = Math.Min(KC, k - pc0);
                        int slivers = (nc + nr - 1) / nr;
                        Parallelism.For(slivers, (long)kc * nr, s => PackB(ctx, bPack, pc0, kc, jc + s * nr, Math.Min(nr, nc - s * nr), s));
                        RunTasks(ctx, bPack, m, jc, nc, pc0, kc);
                    }
                }
            }
            finally { ArrayPool<T>.Shared.Return(bPack); }
        }
    }

    private sealed record Context<T>(nint A, int Lda, bool TransA, nint B, int Ldb, bool TransB, nint C, int Ldc, T Alpha, int NR)
        where T : unmanaged;

    /// <summary>Splits (rows × columns) of the panel into tasks: MC-row blocks × column groups of whole slivers.</summary>
    private static void RunTasks<T>(Context<T> ctx, T[] bPack, int m, int jc, int nc, int pc0, int kc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int nr = ctx.NR;
        int rowBlocks = (m + MC - 1) / MC, slivers = (nc + nr - 1) / nr;
        int wanted = Math.Max(1, 4 * Parallelism.MaxThreads / rowBlocks);
        int groups = Math.Clamp(wanted, 1, Math.Max(1, rowBlocks >= Parallelism.MaxThreads ? slivers / 4 : slivers));
        Parallelism.For(rowBlocks * groups, (long)Math.Min(MC, m) * kc * Math.Min(nc, 256) / 4, task =>
        {
            int ib = task / groups, g = task % groups;
            int i0 = ib * MC, mc = Math.Min(MC, m - i0);
            int s0 = (int)((long)slivers * g / groups), s1 = (int)((long)slivers * (g + 1) / groups);
            var aPack = ArrayPool<T>.Shared.Rent(KC * (MC + MR));
            try
            {
                PackA(ctx, aPack, i0, mc, pc0, kc);
                fixed (T* ap = aPack) fixed (T* bp = bPack)
                    for (int s = s0; s < s1; s++)
                    {
                        int j = s * nr, cols = Math.Min(nr, nc - j);
                        for (int r = 0; r < mc; r += MR)
                            Kernel(kc, ap + r * kc, bp + s * kc * nr, (T*)ctx.C + (long)(i0 + r) * ctx.Ldc + jc + j, ctx.Ldc,
                                Math.Min(MR, mc - r), cols);
                    }
            }
            finally { ArrayPool<T>.Shared.Return(aPack); }
        });
    }

    /// <summary>aPack[r-sliver][p][0..MR) = α·op(A)[i0 + r·MR + ·, pc0 + p], zero-padded below the last row.</summary>
    private static void PackA<T>(Context<T> ctx, T[] aPack, int i0, int mc, int pc0, int kc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* a = (T*)ctx.A;
        for (int r0 = 0; r0 < mc; r0 += MR)
        {
            int rows = Math.Min(MR, mc - r0), baseIdx = r0 * kc;
            for (int p = 0; p < kc; p++)
            {
                int o = baseIdx + p * MR;
                for (int r = 0; r < rows; r++)
                {
                    int i = i0 + r0 + r, q = pc0 + p;
                    aPack[o + r] = ctx.Alpha * (ctx.TransA ? a[(long)q * ctx.Lda + i] : a[(long)i * ctx.Lda + q]);
                }
                for (int r = rows; r < MR; r++) aPack[o + r] = T.Zero;
            }
        }
    }

    /// <summary>bPack[sliver][p][0..NR) = op(B)[pc0 + p, j0 + ·], zero-padded past the last column.</summary>
    private static void PackB<T>(Context<T> ctx, T[] bPack, int pc0, int kc, int j0, int cols, int sliver) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* b = (T*)ctx.B;
        int nr = ctx.NR, o = sliver * kc * nr;
        for (int p = 0; p < kc; p++, o += nr)
        {
            int q = pc0 + p;
            if (!ctx.TransB)
            {
                new ReadOnlySpan<T>(b + (long)q * ctx.Ldb + j0, cols).CopyTo(bPack.AsSpan(o, cols));
            }
            else
            {
                for (int j = 0; j < cols; j++) bPack[o + j] = b[(long)(j0 + j) * ctx.Ldb + q];
            }
            for (int j = cols; j < nr; j++) bPack[o + j] = T.Zero;
        }
    }

    /// <summary>C[0..rows, 0..cols) += Σ_p a[p][r]·b[p][j]: MR rows × two vectors of accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel<T>(int kc, T* a, T* b, T* c, int ldc, int rows, int cols) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector<T>.Count;
        Vector<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
                  c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++, a += MR, b += 2 * w)
        {
            var b0 = Vector.Load(b);
            var b1 = Vector.Load(b + w);
            var x = new Vector<T>(a[0]); c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
            x = new Vector<T>(a[1]); c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
            x = new Vector<T>(a[2]); c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
            x = new Vector<T>(a[3]); c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
            x = new Vector<T>(a[4]); c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41);
            x = new Vector<T>(a[5]); c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51);
        }
        if (rows == MR && cols == 2 * w)
        {
            Add(c, c00, c01, w); Add(c + ldc, c10, c11, w); Add(c + 2 * ldc, c20, c21, w);
            Add(c + 3 * ldc, c30, c31, w); Add(c + 4 * ldc, c40, c41, w); Add(c + 5 * ldc, c50, c51, w);
            return;
        }
        T* tile = stackalloc T[MR * 2 * w];
        int t = 2 * w;
        Store(tile, c00, c01, w); Store(tile + t, c10, c11, w); Store(tile + 2 * t, c20, c21, w);
        Store(tile + 3 * t, c30, c31, w); Store(tile + 4 * t, c40, c41, w); Store(tile + 5 * t, c50, c51, w);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++) c[(long)r * ldc + j] += tile[r * t + j];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Fma<T>(Vector<T> x, Vector<T> y, Vector<T> acc) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Vector.MultiplyAddEstimate(x.As<T, float>(), y.As<T, float>(), acc.As<T, float>()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector.MultiplyAddEstimate(x.As<T, double>(), y.As<T, double>(), acc.As<T, double>()).As<double, T>();
        return x * y + acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add<T>(T* c, Vector<T> v0, Vector<T> v1, int w) where T : unmanaged
    {
        Vector.Store(Vector.Load(c) + v0, c);
        Vector.Store(Vector.Load(c + w) + v1, c + w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* c, Vector<T> v0, Vector<T> v1, int w) where T : unmanaged
    {
        Vector.Store(v0, c);
        Vector.Store(v1, c + w);
    }
}
