using System.Runtime.InteropServices;
using System.Numerics.Tensors;

namespace Disentangle.Tensors;

/// <summary>Which implementation <see cref="Gemm"/> uses for matrix products.</summary>
public enum GemmBackend
{
    /// <summary>OpenBLAS <c>cblas_sgemm</c>/<c>cblas_dgemm</c> through <c>libopenblas.so.0</c>.</summary>
    OpenBlas,
    /// <summary>The managed blocked SIMD kernel in <see cref="ManagedGemm"/>.</summary>
    Managed,
}

/// <summary>The one entry point for dense matrix products: <c>C = α·op(A)·op(B) + β·C</c>, row-major.</summary>
/// <remarks>Uses OpenBLAS when <c>libopenblas.so.0</c> loads and the managed SIMD kernel otherwise; both are tested
/// against each other. <see cref="Backend"/> can be set to force one (tests and benchmarks do).</remarks>
public static class Gemm
{
    private const string OpenBlasLibrary = "libopenblas.so.0";
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    private static readonly Lazy<bool> openBlasLoads = new(ProbeOpenBlas);

    /// <summary>True when OpenBLAS could be loaded on this machine.</summary>
    public static bool OpenBlasAvailable => openBlasLoads.Value;

    /// <summary>The backend used by the next call; defaults to OpenBLAS when available.</summary>
    public static GemmBackend Backend { get; set; } = OpenBlasAvailable ? GemmBackend.OpenBlas : GemmBackend.Managed;

    /// <summary>A one-line description of the active backend, printed once at program start.</summary>
    public static string Describe() => Backend == GemmBackend.OpenBlas
        ? $"GEMM: OpenBLAS ({OpenBlasLibrary}, {Parallelism.MaxThreads} threads)"
        : $"GEMM: managed SIMD kernel (OpenBLAS {(OpenBlasAvailable ? "available but not selected" : "not found: apt-get install libopenblas0-pthread")})";

    /// <summary>The kernels the active backend runs: OpenBLAS's core for this CPU (e.g. <c>OpenBLAS Zen</c>, <c>OpenBLAS
    /// SkylakeX</c>), or the managed kernel and the vector width .NET gives it. Products differ in their last bits between
    /// kernels, so this is part of <see cref="MachineKind"/>.</summary>
    public static string Kernel => Backend == GemmBackend.OpenBlas
        ? $"OpenBLAS {Marshal.PtrToStringAnsi(openblas_get_corename()) ?? "(unknown core)"}"
        : $"managed SIMD ({MachineKind.VectorBits()}-bit)";

    /// <summary>Single-precision product <c>C = α·op(A)·op(B) + β·C</c> with row-major storage.</summary>
    /// <param name="transA">Use Aᵀ; A is stored (k, m) instead of (m, k).</param>
    /// <param name="transB">Use Bᵀ; B is stored (n, k) instead of (k, n).</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Inner dimension.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A's storage.</param>
    /// <param name="lda">Row stride of A as stored.</param>
    /// <param name="b">B's storage.</param>
    /// <param name="ldb">Row stride of B as stored.</param>
    /// <param name="beta">Scale of C's previous content (0 overwrites).</param>
    /// <param name="c">C's storage, shape (m, n).</param>
    /// <param name="ldc">Row stride of C.</param>
    public static unsafe void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (m == 0 || n == 0) return;
        if (k == 0) { ScaleC(c, m, n, ldc, beta); return; }
        if (Backend == GemmBackend.OpenBlas)
        {
            BeginCall();
            try
            {
                fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
                    cblas_sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            }
            finally { EndCall(); }
        }
        else ManagedGemm.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <inheritdoc cref="Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
    public static unsafe void Multiply(bool transA, bool transB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        if (m == 0 || n == 0) return;
        if (k == 0) { ScaleC(c, m, n, ldc, beta); return; }
        if (Backend == GemmBackend.OpenBlas)
        {
            BeginCall();
            try
            {
                fixed (double* pa = a) fixed (double* pb = b) fixed (double* pc = c)
                    cblas_dgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            }
            finally { EndCall(); }
        }
        else ManagedGemm.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>Sets the number of threads OpenBLAS uses (no effect on the managed kernel), once the products running at
    /// another count have returned.</summary>
    public static void SetOpenBlasThreads(int threads)
    {
        if (!OpenBlasAvailable) return;
        lock (countGate) Switch(threads);
    }

    // OpenBLAS's thread count is process-wide, and its results depend on it (the same sgemm at 1 and 2 threads differs in
    // the last bits). So products at the caller's count (Parallelism.MaxThreads) run side by side, and a product at
    // another count waits until they have returned: two runs of one process at different counts each keep their numbers.
    private static readonly object countGate = new();
    private static int callsInFlight;

    private static void BeginCall()
    {
        int wanted = Parallelism.MaxThreads;
        lock (countGate)
        {
            Switch(wanted);
            callsInFlight++;
        }
    }

    /// <summary>Makes OpenBLAS's count <paramref name="threads"/> once no product at another count runs (under countGate).</summary>
    private static void Switch(int threads)
    {
        while (callsInFlight > 0 && openBlasThreads != threads) Monitor.Wait(countGate);
        if (openBlasThreads != threads) openblas_set_num_threads(threads);
        openBlasThreads = threads;
    }

    private static void EndCall()
    {
        lock (countGate)
            if (--callsInFlight == 0) Monitor.PulseAll(countGate);
    }

    private static int openBlasThreads;   // under countGate

    private static void ScaleC<T>(Span<T> c, int m, int n, int ldc, T beta) where T : unmanaged, System.Numerics.INumber<T>
    {
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (T.IsZero(beta)) row.Clear();
            else for (int j = 0; j < n; j++) row[j] *= beta;
        }
    }

    private static bool ProbeOpenBlas()
    {
        if (Environment.GetEnvironmentVariable("DISENTANGLE_GEMM") is string forced && forced.Equals("managed", StringComparison.OrdinalIgnoreCase))
            return false;
        try
        {
            // OpenBLAS's idle workers otherwise wait for the next product in a sched_yield loop: a fifth of a training
            // step's CPU time went to the kernel that way. 4 is its shortest wait (2^4 cycles) before they sleep.
            NativeEnvironment.Default("OPENBLAS_THREAD_TIMEOUT", "4");
            if (!NativeLibrary.TryLoad(OpenBlasLibrary, out var handle)) return false;
            if (!NativeLibrary.TryGetExport(handle, "cblas_sgemm", out _) || !NativeLibrary.TryGetExport(handle, "cblas_dgemm", out _)) return false;
            return true;
        }
        catch (Exception) { return false; }
    }

    [DllImport(OpenBlasLibrary)]
    private static extern unsafe void cblas_sgemm(int order, int transA, int transB, int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [DllImport(OpenBlasLibrary)]
    private static extern unsafe void cblas_dgemm(int order, int transA, int transB, int m, int n, int k,
        double alpha, double* a, int lda, double* b, int ldb, double beta, double* c, int ldc);

    [DllImport(OpenBlasLibrary)]
    private static extern void openblas_set_num_threads(int threads);

    [DllImport(OpenBlasLibrary)]
    private static extern nint openblas_get_corename();
}
