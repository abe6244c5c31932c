using System.Diagnostics;
using Disentangle.Nn;
using Disentangle.Optim;
using Disentangle.Tensors;

namespace Disentangle.Bench;

/// <summary>One ConvEncoder training step on 400 images 3×64×64 (forward, MSE to random targets, backward, Adam).</summary>
/// <remarks>Arguments: <c>--steps N</c> (timed steps, default 5), <c>--threads T</c> (default 2), <c>--batch B</c> (default 400).
/// Prints <c>ours_ms=… gflops=… sgemm_peak_gflops=… peak_mb=… faults_per_step=… sys_fraction=… im2col_ms=… conv=… gemm=…</c>:
/// median step time, achieved FLOP/s, the GEMM backend's own rate on a square 1024³ product (the machine's practical peak),
/// peak working set, minor page faults per step, system share of CPU time, and the step with im2col convolutions (when
/// oneDNN is in use).</remarks>
public sealed class EncoderStepBenchmark : IBenchmark
{
    /// <inheritdoc/>
    public string Name => "encoder-step";

    /// <inheritdoc/>
    public int Run(string[] args)
    {
        int steps = BenchArgs.Int(args, "--steps", 5), threads = BenchArgs.Int(args, "--threads", 2), batch = BenchArgs.Int(args, "--batch", 400);
        Parallelism.MaxThreads = threads;
        var (median, faults, sysFraction, gcMs, gen2, peak) = Measure(steps, batch);
        double im2colMs = double.NaN;
        if (Convolution.Current == ConvBackend.OneDnn)
            using (Convolution.Override(ConvBackend.Im2ColGemm)) im2colMs = Measure(Math.Min(steps, 3), batch).Median;
        double flops = StepFlops(batch);
        Console.WriteLine($"ours_ms={median:F1} gflops={flops / (median * 1e6):F1} sgemm_peak_gflops={SgemmPeak(new Random(7)):F1} "
            + $"peak_mb={peak / 1e6:F0} gc_pause_ms_per_step={gcMs:F1} full_gcs={gen2} faults_per_step={faults:F0} sys_fraction={sysFraction:F2} "
            + $"im2col_ms={im2colMs:F1} conv={Convolution.Current} gemm={Gemm.Backend}");
        return 0;
    }

    /// <summary>Median step time of <paramref name="steps"/> timed steps after two warm-up steps, with the minor page
    /// faults per step, the system share of the process's CPU time, GC pause per step, full collections and peak working set.</summary>
    private static (double Median, double Faults, double SysFraction, double GcMs, int Gen2, long Peak) Measure(int steps, int batch)
    {
        var random = new Random(42);
        var encoder = new ConvEncoder(6, random);
        var images = Tensor.Uniform([batch, 3, 64, 64], random, 0f, 1f);
        var targets = Tensor.RandN([batch, 6], random);
        var adam = new Adam([.. encoder.Parameters()], new AdamOptions(1e-3));
        var times = new List<double>();
        TimeSpan pause = TimeSpan.Zero, user = TimeSpan.Zero, system = TimeSpan.Zero;
        int fullCollections = 0;
        long faults = 0;
        var process = Process.GetCurrentProcess();
        for (int step = 0; step < steps + 2; step++)   // two warm-up steps (JIT, pools)
        {
            if (step == 2)
            {
                (pause, fullCollections, faults) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2), MinorFaults());
                process.Refresh();
                (user, system) = (process.UserProcessorTime, process.PrivilegedProcessorTime);
            }
            var clock = Stopwatch.StartNew();
            adam.ZeroGrad();
            encoder.Forward(images).MseLoss(targets).Backward();
            adam.Step();
            if (step >= 2) times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        process.Refresh();
        double userS = (process.UserProcessorTime - user).TotalSeconds, sysS = (process.PrivilegedProcessorTime - system).TotalSeconds;
        return (times[times.Count / 2], (MinorFaults() - faults) / (double)steps, sysS / Math.Max(1e-9, userS + sysS),
            (GC.GetTotalPauseDuration() - pause).TotalMilliseconds / steps, GC.CollectionCount(2) - fullCollections, process.PeakWorkingSet64);
    }

    /// <summary>Minor page faults of this process so far (field 10 of /proc/self/stat; 0 where it cannot be read).</summary>
    internal static long MinorFaults()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture);   // fields after "pid (comm) ": state is [0], minflt [7]
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException) { return 0; }
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
