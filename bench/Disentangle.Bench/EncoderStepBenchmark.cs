using System.Diagnostics;
using Disentangle.Nn;
using Disentangle.Tensors;

namespace Disentangle.Bench;

/// <summary>One ConvEncoder training step on 400 images 3×64×64 (forward, MSE to random targets, backward, update).</summary>
/// <remarks>The update is plain SGD written inline (the optimisers live in Optim/ and are benchmarked there). Arguments:
/// <c>--steps N</c> (timed steps, default 5), <c>--threads T</c> (default 2), <c>--batch B</c> (default 400).
/// Prints <c>ours_ms=… gflops=… peak_mb=… gemm=…</c>: median step time, achieved FLOP/s, peak working set.</remarks>
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
        const float learningRate = 1e-3f;
        var times = new List<double>();
        for (int step = 0; step < steps + 2; step++)   // two warm-up steps (JIT, pools)
        {
            var clock = Stopwatch.StartNew();
            encoder.ZeroGrad();
            encoder.Forward(images).MseLoss(targets).Backward();
            foreach (var p in encoder.Parameters())
            {
                var g = p.Grad!;
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(g, -learningRate, p.Data, p.Data);   // θ ← θ − η g
            }
            if (step >= 2) times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        double median = times[times.Count / 2];
        double flops = StepFlops(batch);
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        Console.WriteLine($"ours_ms={median:F1} gflops={flops / (median * 1e6):F1} peak_mb={peak / 1e6:F0} gemm={Gemm.Backend}");
        return 0;
    }

    /// <summary>Multiply-adds ×2 of the step: each conv/linear costs F forward, F for ∂W and F for ∂X (none for the input).</summary>
    private static double StepFlops(int n)
    {
        double Conv(int o, int c, int k, int outSide) => 2.0 * n * o * c * k * k * outSide * outSide;
        double Lin(int i, int o) => 2.0 * n * i * o;
        return 2 * Conv(32, 3, 4, 32) + 3 * (Conv(32, 32, 4, 16) + Conv(64, 32, 2, 8) + Conv(64, 64, 2, 4) + Lin(1024, 256) + Lin(256, 6));
    }

}
