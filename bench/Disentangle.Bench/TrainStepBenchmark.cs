using System.Diagnostics;
using Disentangle.Runs;
using Disentangle.Tensors;
using Disentangle.Training;

namespace Disentangle.Bench;

/// <summary>One step of <c>disentangle train</c> in the reference configuration: 8 tasks × 50 images (400 × 3×64×64),
/// ConvEncoder, inner Lasso (c = 0.3) by coordinate descent, implicit-differentiation backward, Adam.</summary>
/// <remarks>Arguments: <c>--steps N</c> (timed steps on one fixed batch, default 5), <c>--threads T</c> (default 2),
/// <c>--loop-steps L</c> (steps of the full training loop, with rendering and prefetch, default 30).
/// Prints <c>ours_step_ms=… loop_steps_per_s=…</c>: median fixed-batch step time, and the full loop's steady throughput
/// (the trainer's own steps/s over its last L/3 steps, after the start-up checkpoint and the prefetch warm-up).</remarks>
public sealed class TrainStepBenchmark : IBenchmark
{
    /// <inheritdoc/>
    public string Name => "train-step";

    /// <inheritdoc/>
    public int Run(string[] args)
    {
        int steps = BenchArgs.Int(args, "--steps", 5), threads = BenchArgs.Int(args, "--threads", 2), loopSteps = BenchArgs.Int(args, "--loop-steps", 30);
        Parallelism.MaxThreads = threads;
        var folder = Path.Combine(Path.GetTempPath(), $"disentangle-bench-{Guid.NewGuid():N}");
        var options = new TrainOptions(Steps: loopSteps, EvalEvery: 1_000_000, LogEvery: Math.Max(1, loopSteps / 3), EvalSamples: 100,
            ValidationTasks: 1, Out: folder);
        var trainer = new TrainingRun(options);
        var batch = trainer.Batch(0);
        var times = new List<double>();
        for (int step = 0; step < steps + 2; step++)   // two warm-up steps (JIT, pools)
        {
            var clock = Stopwatch.StartNew();
            trainer.StepOn(batch);
            if (step >= 2) times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        double loopRate = 0;
        trainer.Train(entry => loopRate = entry.StepsPerSecond);   // the last window's rate (the final evaluation comes after it)
        Directory.Delete(folder, recursive: true);
        Console.WriteLine($"ours_step_ms={times[times.Count / 2]:F1} loop_steps_per_s={loopRate:F3} gemm={Gemm.Backend}");
        return 0;
    }

}
