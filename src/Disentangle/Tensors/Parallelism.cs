namespace Disentangle.Tensors;

/// <summary>The process's one thread policy: how many threads OpenBLAS, oneDNN (OpenMP) and every .NET parallel loop use.</summary>
/// <remarks>Default: <c>SLURM_CPUS_PER_TASK</c> when set, otherwise all cores; the CLI's <c>--threads N</c> sets it, a
/// training run records it in its <c>config.json</c> and a resumed run uses the recorded one (results differ bitwise with
/// the OpenBLAS thread count). Kernels split work into independent items (images, rows, channels) so results never depend
/// on scheduling; every parallel loop takes its options from <see cref="Options"/> or <see cref="OptionsFor"/>.</remarks>
public static class Parallelism
{
    private static readonly AsyncLocal<int?> scoped = new();
    private static int globalThreads = DefaultThreads;
    private static string source = Environment.GetEnvironmentVariable("SLURM_CPUS_PER_TASK") is not null && SlurmThreads() is not null
        ? "SLURM_CPUS_PER_TASK" : "all cores";

    /// <summary><c>SLURM_CPUS_PER_TASK</c> when it is a positive integer, otherwise <see cref="Environment.ProcessorCount"/>.</summary>
    public static int DefaultThreads => SlurmThreads() ?? Environment.ProcessorCount;

    /// <summary>The most threads one kernel or loop uses; setting it also applies it to OpenBLAS (oneDNN picks it up
    /// on its next call).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    /// <remarks>Inside a <see cref="Scope"/> (which flows into tasks and parallel loops) the scope's value.</remarks>
    public static int MaxThreads
    {
        get => scoped.Value ?? globalThreads;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, $"threads must be at least 1 (got {value}).");
            globalThreads = value;
            source = "set by the caller";
            Gemm.SetOpenBlasThreads(value);
        }
    }

    /// <summary>Runs the calling flow (and the tasks and loops it starts) on <paramref name="threads"/> threads until the
    /// returned scope is disposed: a training run's recorded count, or one sweep run's share.</summary>
    /// <remarks>OpenBLAS's count is process-wide; <see cref="Gemm"/> sets it to the caller's value before each product, and
    /// products at different counts take turns. oneDNN keeps its primitives per count.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
    public static IDisposable Scope(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, $"threads must be at least 1 (got {threads}).");
        var previous = scoped.Value;
        scoped.Value = threads;
        return new Restore(previous);
    }

    private sealed class Restore(int? previous) : IDisposable
    {
        public void Dispose() => scoped.Value = previous;
    }

    /// <summary>Sets <see cref="MaxThreads"/> and names where the value came from (printed by <see cref="Describe"/>).</summary>
    public static void Set(int threads, string from)
    {
        MaxThreads = threads;
        source = from;
    }

    /// <summary>Options of a .NET parallel loop under the policy.</summary>
    public static ParallelOptions Options => new() { MaxDegreeOfParallelism = MaxThreads };

    /// <summary>Options of a loop whose caller asked for <paramref name="requested"/> threads (see <see cref="Resolve"/>).</summary>
    public static ParallelOptions OptionsFor(int requested) => new() { MaxDegreeOfParallelism = Resolve(requested) };

    /// <summary>−1 (a solver option's default) means the policy; a positive request is capped by it.</summary>
    public static int Resolve(int requested) => requested == -1 ? MaxThreads : Math.Clamp(requested, 1, MaxThreads);

    /// <summary>One line for <c>info</c> and run banners: the thread count and where it came from.</summary>
    public static string Describe() => $"threads: {MaxThreads} ({(scoped.Value is null ? source : "this run")}; {Environment.ProcessorCount} cores) for OpenBLAS, oneDNN and parallel loops";

    private static int? SlurmThreads()
        => int.TryParse(Environment.GetEnvironmentVariable("SLURM_CPUS_PER_TASK"), out int n) && n >= 1 ? n : null;

    /// <summary>Runs <paramref name="body"/> for every i in [0, count), in parallel when the total work is worth it.</summary>
    /// <param name="count">Number of independent items.</param>
    /// <param name="workPerItem">Rough cost of one item (e.g. floats touched); below ~32k in total the loop runs inline.</param>
    /// <param name="body">The per-item work; items must not write to shared locations.</param>
    internal static void For(int count, long workPerItem, Action<int> body)
    {
        if (count <= 0) return;
        if (count == 1 || MaxThreads == 1 || count * workPerItem < 32_768)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        // Many small items go in contiguous blocks: Parallel.For hands items out a few at a time through shared counters,
        // which cost more than a small item's work (a quarter of a batch norm over 25,600 planes of 256 floats).
        int blocks = (int)Math.Min(count, MaxThreads * 8L);
        if (blocks == count) { Parallel.For(0, count, Options, body); return; }
        Parallel.For(0, blocks, Options, k =>
        {
            for (int i = (int)((long)count * k / blocks), end = (int)((long)count * (k + 1) / blocks); i < end; i++) body(i);
        });
    }

    /// <summary>Runs <paramref name="body"/> on contiguous ranges [start, end) covering [0, count), at most one per thread
    /// (times four for balance); a range's result must not depend on how the ranges are cut.</summary>
    internal static void ForRanges(int count, long workPerItem, Action<int, int> body)
    {
        if (count <= 0) return;
        long total = count * workPerItem;
        int chunks = (int)Math.Min(Math.Min(count, MaxThreads * 4L), Math.Max(1, total / 32_768));
        if (chunks <= 1) { body(0, count); return; }
        Parallel.For(0, chunks, Options,
            c => body((int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks)));
    }
}
