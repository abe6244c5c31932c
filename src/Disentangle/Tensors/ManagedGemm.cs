using System.Numerics.Tensors;

namespace Disentangle.Tensors;

/// <summary>Managed GEMM used when OpenBLAS is not available.</summary>
/// <remarks>Packs op(A) and op(B) into row-major panels and accumulates C rows with SIMD multiply-add
/// (<c>C[i,:] += α·A[i,p]·B[p,:]</c>), rows in parallel.</remarks>
internal static class ManagedGemm
{
    public static void Multiply<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        // B packed as (k, n) contiguous so every inner step is one contiguous axpy.
        var bPacked = new T[(long)k * n];
        for (int p = 0; p < k; p++)
            for (int j = 0; j < n; j++)
                bPacked[p * n + j] = transB ? b[j * ldb + p] : b[p * ldb + j];
        var aCopy = a.ToArray();
        var cArray = new T[(long)m * n];
        for (int i = 0; i < m; i++) c.Slice(i * ldc, n).CopyTo(cArray.AsSpan(i * n, n));

        Parallel.For(0, m, new ParallelOptions { MaxDegreeOfParallelism = m * (long)n * k < 1 << 16 ? 1 : -1 }, i =>
        {
            var row = cArray.AsSpan(i * n, n);
            if (T.IsZero(beta)) row.Clear();
            else if (beta != T.One) TensorPrimitives.Multiply(row, beta, row);
            for (int p = 0; p < k; p++)
            {
                T aip = alpha * (transA ? aCopy[p * lda + i] : aCopy[i * lda + p]);
                if (T.IsZero(aip)) continue;
                TensorPrimitives.MultiplyAdd(bPacked.AsSpan(p * n, n), aip, row, row);   // C[i,:] += α A[i,p] B[p,:]
            }
        });
        for (int i = 0; i < m; i++) cArray.AsSpan(i * n, n).CopyTo(c.Slice(i * ldc, n));
    }
}
