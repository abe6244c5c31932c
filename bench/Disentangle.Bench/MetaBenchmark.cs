using System.Diagnostics;
using Disentangle.Experiments;
using Disentangle.FewShot;
using Disentangle.Optim;
using Disentangle.Solvers.GroupSparseSvm;
using Disentangle.Tensors;

namespace Disentangle.Bench;

/// <summary>One meta-training step of <c>disentangle meta-train</c>: 5-way 5-shot, 15 queries, meta-batch 8, Conv4 of
/// width 32 on 3×32×32 images, SVM head (λ₁/λ₁max from <c>--ratio-percent</c>, default 0; λ₂ = 10; gap tolerance 1e-4),
/// implicit-differentiation backward, SGD with Nesterov momentum.</summary>
/// <remarks>Arguments: <c>--steps N</c> (timed steps on one fixed batch, default 5), <c>--threads T</c> (default 2),
/// <c>--ratio-percent R</c>. Prints <c>ours_episodes_per_s=… ours_step_ms=…</c> (medians).</remarks>
public sealed class MetaBenchmark : IBenchmark
{
    /// <inheritdoc/>
    public string Name => "meta";

    /// <inheritdoc/>
    public int Run(string[] args)
    {
        int steps = BenchArgs.Int(args, "--steps", 5), threads = BenchArgs.Int(args, "--threads", 2), ratio = BenchArgs.Int(args, "--ratio-percent", 0);
        Parallelism.MaxThreads = threads;
        var options = new MetaLearningOptions(Shots: 5, Queries: 15, MetaBatch: 8, Width: 32, ImageSize: 32, LambdaRatio: ratio / 100.0);
        var dataset = new ShapesFewShotDataset(new ShapesFewShotOptions(ImageSize: 32));
        var batch = new EpisodeSampler(dataset, FewShotSplit.Train, options.Episode, 1).SampleBatch(0, options.MetaBatch);
        var model = MetaLearningExperiment.CreateModel(options, dataset);
        var solver = new Solvers.GroupSparseSvm.GroupSparseSvmDual(new Solvers.GroupSparseSvm.GroupSparseSvmOptions(Tolerance: options.SolverTolerance,
            LambdaMaxTolerance: options.LambdaMaxTolerance, MaxDegreeOfParallelism: threads));
        var head = GroupSparseSvmHead.Relative(solver, options.LambdaRatio, options.Lambda2);
        var optimizer = new Sgd([.. model.Parameters()], new SgdOptions(0.01, 0.9, Nesterov: true, WeightDecay: 5e-4));
        var times = new List<double>();
        for (int step = 0; step < steps + 2; step++)   // two warm-up steps (JIT, pools)
        {
            var clock = Stopwatch.StartNew();
            MetaLearningExperiment.Step(model, head, optimizer, batch, options.Ways);
            if (step >= 2) times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        double ms = times[times.Count / 2];
        Console.WriteLine($"ours_step_ms={ms:F1} ours_episodes_per_s={options.MetaBatch * 1000 / ms:F3} gemm={Gemm.Backend}");
        return 0;
    }
}
