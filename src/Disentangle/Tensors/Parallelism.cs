namespace Disentangle.Tensors;

/// <summary>How many threads the tensor kernels use (default: all cores).</summary>
/// <remarks>Kernels split work into independent items (images, rows, channels) so results never depend on scheduling.</remarks>
public static class Parallelism
{
    private static int maxThreads = Environment.ProcessorCount;

    /// <summary>The most threads one kernel uses; also applied to OpenBLAS.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxThreads
    {
        get => maxThreads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            maxThreads = value;
            Gemm.SetOpenBlasThreads(value);
        }
    }

    /// <summary>Runs <paramref name="body"/> for every i in [0, count), in parallel when the total work is worth it.</summary>
    /// <param name="count">Number of independent items.</param>
    /// <param name="workPerItem">Rough cost of one item (e.g. floats touched); below ~32k in total the loop runs inline.</param>
    /// <param name="body">The per-item work; items must not write to shared locations.</param>
    internal static void For(int count, long workPerItem, Action<int> body)
    {
        if (count <= 0) return;
        if (count == 1 || maxThreads == 1 || count * workPerItem < 32_768)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = maxThreads }, body);
    }

    /// <summary>Runs <paramref name="body"/> on contiguous ranges [start, end) covering [0, count), at most one per thread
    /// (times four for balance); a range's result must not depend on how the ranges are cut.</summary>
    internal static void ForRanges(int count, long workPerItem, Action<int, int> body)
    {
        if (count <= 0) return;
        long total = count * workPerItem;
        int chunks = (int)Math.Min(Math.Min(count, maxThreads * 4L), Math.Max(1, total / 32_768));
        if (chunks <= 1) { body(0, count); return; }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = maxThreads },
            c => body((int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks)));
    }
}
