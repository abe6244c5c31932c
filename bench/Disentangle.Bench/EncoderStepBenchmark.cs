using System.Diagnostics;
using Disentangle.Nn;
using Disentangle.Optim;
using Disentangle.Tensors;

namespace Disentangle.Bench;

/// <summary>One ConvEncoder training step on 400 images 3×64×64 (forward, MSE to random targets, backward, Adam).</summary>
/// <remarks>Arguments: <c>--steps N</c> (timed steps, default 5), <c>--threads T</c> (default 2), <c>--batch B</c> (default 400).
/// Prints <c>ours_ms=… gflops=… sgemm_peak_gflops=… peak_mb=… gemm=…</c>: median step time, achieved FLOP/s, the GEMM
/// backend's own rate on a square 1024³ product (the machine's practical peak), peak working set.</remarks>
public sealed class EncoderStepBenchmark : IBenchmark
{
    /// <inheritdoc/>
    public string Name => "encoder-step";

    /// <inheritdoc/>
    public int Run(string[] args)
    {
        int steps = BenchArgs.Int(args, "--steps", 5), threads = BenchArgs.Int(args, "--threads", 2), batch = BenchArgs.Int(args, "--batch", 400);
        Parallelism.MaxThreads = threads;
        var random = new Random(42);
        var encoder = new ConvEncoder(6, random);
        var images = Tensor.Uniform([batch, 3, 64, 64], random, 0f, 1f);
        var targets = Tensor.RandN([batch, 6], random);
        var adam = new Adam([.. encoder.Parameters()], new AdamOptions(1e-3));
        var times = new List<double>();
        TimeSpan pause = TimeSpan.Zero;
        int fullCollections = 0;
        for (int step = 0; step < steps + 2; step++)   // two warm-up steps (JIT, pools)
        {
            if (step == 2) (pause, fullCollections) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2));
            var clock = Stopwatch.StartNew();
            adam.ZeroGrad();
            encoder.Forward(images).MseLoss(targets).Backward();
            adam.Step();
            if (step >= 2) times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        double median = times[times.Count / 2];
        double flops = StepFlops(batch);
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        double gcMs = (GC.GetTotalPauseDuration() - pause).TotalMilliseconds / steps;
        int gen2 = GC.CollectionCount(2) - fullCollections;
        Console.WriteLine($"ours_ms={median:F1} gflops={flops / (median * 1e6):F1} sgemm_peak_gflops={SgemmPeak(random):F1} "
            + $"peak_mb={peak / 1e6:F0} gc_pause_ms_per_step={gcMs:F1} full_gcs={gen2} gemm={Gemm.Backend}");
        return 0;
    }

    /// <summary>GFLOP/s of one 1024×1024×1024 float32 product through <see cref="Gemm"/> (median of 5, after a warm-up).</summary>
    private static double SgemmPeak(Random random)
    {
        const int size = 1024;
        var a = Tensor.Uniform([size, size], random, -1f, 1f).Data;
        var b = Tensor.Uniform([size, size], random, -1f, 1f).Data;
        var c = new float[size * size];
        var times = new List<double>();
        for (int i = 0; i < 6; i++)
        {
            var clock = Stopwatch.StartNew();
            Gemm.Multiply(false, false, size, size, size, 1f, a, size, b, size, 0f, c, size);
            if (i > 0) times.Add(clock.Elapsed.TotalSeconds);
        }
        times.Sort();
        return 2.0 * size * size * size / times[times.Count / 2] / 1e9;
    }

    /// <summary>Multiply-adds ×2 of the step: each conv/linear costs F forward, F for ∂W and F for ∂X (none for the input).</summary>
    private static double StepFlops(int n)
    {
        double Conv(int o, int c, int k, int outSide) => 2.0 * n * o * c * k * k * outSide * outSide;
        double Lin(int i, int o) => 2.0 * n * i * o;
        return 2 * Conv(32, 3, 4, 32) + 3 * (Conv(32, 32, 4, 16) + Conv(64, 32, 2, 8) + Conv(64, 64, 2, 4) + Lin(1024, 256) + Lin(256, 6));
    }

}
