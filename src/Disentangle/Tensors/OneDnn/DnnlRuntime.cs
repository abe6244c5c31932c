using System.Runtime.InteropServices;
using static Disentangle.Tensors.OneDnn.DnnlApi;

namespace Disentangle.Tensors.OneDnn;

/// <summary>The process's oneDNN CPU engine and stream, whether they could be created (and why not), the cache of
/// convolution plans, and the one lock every oneDNN call runs under.</summary>
/// <remarks>oneDNN parallelises each primitive itself (OpenMP, <see cref="Parallelism.MaxThreads"/> threads), so calls
/// are serialised: concurrent callers would only oversubscribe the cores. The cache holds at most
/// <see cref="MaxPlans"/> shapes; past that it is emptied and refilled. Before oneDNN (and with it libgomp) loads, the
/// OpenMP wait policy is set to passive unless the user set <c>OMP_WAIT_POLICY</c>: libgomp's default lets idle workers
/// spin at barriers for a while after every primitive, and on a machine of few cores those spinning threads took the
/// cores from .NET's own parallel loops (a quarter of a training step's CPU samples; 27–35% more wall time per step).</remarks>
internal static unsafe class DnnlRuntime
{
    /// <summary>Plans kept at once (each holds its primitive-layout buffers).</summary>
    public const int MaxPlans = 32;

    /// <summary>Chains kept at once (each holds its layers' activations and two gradient buffers).</summary>
    public const int MaxChains = 8;

    private static readonly Lazy<(nint Engine, nint Stream, string Status)> state = new(Open);
    private static readonly Dictionary<(ConvKey, int Threads), DnnlConvPlan> plans = [];
    private static readonly Dictionary<(ConvChainKey, int Threads), DnnlConvChain?> chains = [];
    [ThreadStatic] private static int threadsSetOnThisThread;

    /// <summary>The lock around every oneDNN call.</summary>
    public static readonly Lock Gate = new();

    /// <summary>True when libdnnl.so.2 (2.x) loaded and a CPU engine was created.</summary>
    public static bool Available => state.Value.Engine != 0;

    /// <summary>"oneDNN 2.6.3 (OpenMP)" when available, otherwise why not.</summary>
    public static string Status => state.Value.Status;

    public static nint Engine => state.Value.Engine;

    public static nint Stream => state.Value.Stream;

    /// <summary>The plan for <paramref name="key"/> at the caller's <see cref="Parallelism.MaxThreads"/>, created on first
    /// use (call under <see cref="Gate"/>).</summary>
    /// <remarks>oneDNN splits a primitive's work (the minibatch reduction of the weight gradient, for one) by the OpenMP
    /// thread count of the thread that creates it, and keeps that split: a primitive built for 2 threads gives other
    /// low-order bits than one built for 1, whoever runs it. So primitives are built at, and kept per, thread count.</remarks>
    public static DnnlConvPlan Plan(ConvKey key) => Cached(plans, key, MaxPlans, static key => new DnnlConvPlan(key, Engine));

    /// <summary>The chain for <paramref name="key"/> at the caller's thread count (as for <see cref="Plan"/>), created on
    /// first use; null when oneDNN cannot build one of its primitives (remembered, so the layers run one by one without
    /// asking again). Call under <see cref="Gate"/>.</summary>
    public static DnnlConvChain? Chain(ConvChainKey key) => Cached(chains, key, MaxChains, static key =>
    {
        try { return DnnlConvChain.Create(key.Layers, Engine); }
        catch (InvalidOperationException) { return null; }
    });

    /// <summary>Forgets every plan and chain (the next call of each shape builds its primitives again).</summary>
    public static void Clear()
    {
        lock (Gate)
        {
            Empty(plans);
            Empty(chains);
        }
    }

    /// <summary>The cached value for <paramref name="key"/> at the caller's thread count, built on this thread at that
    /// count when missing; a full cache is emptied first.</summary>
    private static TValue Cached<TKey, TValue>(Dictionary<(TKey, int Threads), TValue> cache, TKey key, int capacity, Func<TKey, TValue> create)
        where TKey : notnull where TValue : class?, IDisposable?
    {
        int threads = Parallelism.MaxThreads;
        if (cache.TryGetValue((key, threads), out var value)) return value;
        if (cache.Count >= capacity) Empty(cache);
        ApplyThreads();
        value = create(key);
        cache[(key, threads)] = value;
        return value;
    }

    private static void Empty<TKey, TValue>(Dictionary<TKey, TValue> cache) where TKey : notnull where TValue : IDisposable?
    {
        foreach (var value in cache.Values) value?.Dispose();
        cache.Clear();
    }

    /// <summary>Makes this thread's next OpenMP regions (oneDNN's) use <see cref="Parallelism.MaxThreads"/> threads.</summary>
    public static void ApplyThreads()
    {
        int threads = Parallelism.MaxThreads;
        if (threadsSetOnThisThread == threads) return;
        omp_set_num_threads(threads);
        threadsSetOnThisThread = threads;
    }

    /// <summary>Waits for the stream (CPU primitives run synchronously; this keeps the contract explicit).</summary>
    public static void Wait() => Check(dnnl_stream_wait(Stream), "dnnl_stream_wait");

    private static (nint, nint, string) Open()
    {
        if (Environment.GetEnvironmentVariable("DISENTANGLE_CONV") is string forced && forced.Equals("im2col", StringComparison.OrdinalIgnoreCase))
            return (0, 0, "not used: DISENTANGLE_CONV=im2col");
        try
        {
            NativeEnvironment.Default("OMP_WAIT_POLICY", "PASSIVE");   // read by libgomp when it loads
            if (!NativeLibrary.TryLoad(Library, out _)) return (0, 0, $"not found: {Library} did not load (apt-get install libdnnl2)");
            if (!NativeLibrary.TryLoad(OpenMpLibrary, out _)) return (0, 0, $"not usable: {OpenMpLibrary} did not load");
            var version = dnnl_version();
            if (version->Major != 2) return (0, 0, $"not usable: {Library} is version {version->Major}.{version->Minor}, the backend speaks the 2.x API");
            nint engine, stream;
            if (dnnl_engine_create(&engine, EngineCpu, 0) != Success) return (0, 0, "not usable: dnnl_engine_create failed");
            if (dnnl_stream_create(&stream, engine, StreamDefaultFlags) != Success) return (0, 0, "not usable: dnnl_stream_create failed");
            return (engine, stream, $"oneDNN {version->Major}.{version->Minor}.{version->Patch} ({Library}, OpenMP)");
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return (0, 0, $"not usable: {e.Message}");
        }
    }
}

/// <summary>What fixes a convolution's primitives: input (N, C, H, W), kernel (O, kh, kw), stride, padding, bias or not,
/// ReLU fused or not.</summary>
internal readonly record struct ConvKey(int N, int C, int H, int W, int O, int KernelHeight, int KernelWidth, int Stride, Padding2d Padding, bool Bias, bool Relu)
{
    public int OutHeight => Padding.OutHeight(H, KernelHeight, Stride);
    public int OutWidth => Padding.OutWidth(W, KernelWidth, Stride);
}
