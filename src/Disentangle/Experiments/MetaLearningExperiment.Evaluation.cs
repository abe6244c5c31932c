using System.Diagnostics;
using Disentangle.FewShot;
using Disentangle.Io;
using Disentangle.Runs;
using Disentangle.Tensors;

namespace Disentangle.Experiments;

public sealed partial class MetaLearningExperiment
{
    /// <summary>Per-episode accuracies and feature use of an evaluation.</summary>
    /// <param name="Accuracies">Query accuracy of each episode.</param>
    /// <param name="FeatureFractions">Fraction of features used by each episode's W.</param>
    /// <param name="FeatureCounts">Per feature, the number of episodes whose W uses it.</param>
    public sealed record Evaluation(double[] Accuracies, double[] FeatureFractions, int[] FeatureCounts);

    /// <summary>Evaluates <paramref name="model"/> (in eval mode, no gradients) on episodes 0 … <paramref name="episodes"/> − 1
    /// of <paramref name="sampler"/>.</summary>
    public static Evaluation Evaluate(FewShotModel model, GroupSparseSvmHead head, EpisodeSampler sampler, int episodes, int batchSize, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(sampler);
        bool wasTraining = model.Training;
        model.Eval();
        var accuracies = new double[episodes];
        var fractions = new double[episodes];
        var counts = new int[model.FeatureCount];
        try
        {
            using var _ = new NoGrad();
            for (int first = 0; first < episodes; first += batchSize)
            {
                int count = Math.Min(batchSize, episodes - first);
                var batch = sampler.SampleBatch(first, count);
                var output = head.Forward(model.Forward(batch.Support), batch.SupportLabels, model.Forward(batch.Query), sampler.Options.Ways);
                int queries = sampler.Options.QuerySize, scoresPerTask = queries * sampler.Options.Ways;
                for (int t = 0; t < count; t++)
                {
                    accuracies[first + t] = Accuracy(output.Scores.Data.AsSpan(t * scoresPerTask, scoresPerTask),
                        batch.QueryLabels.AsSpan(t * queries, queries), sampler.Options.Ways);
                    fractions[first + t] = output.Solutions[t].FeatureFraction;
                    foreach (int j in output.Solutions[t].Support) counts[j]++;
                }
                progress?.Report(first + count);
            }
        }
        finally { model.Train(wasTraining); }
        return new Evaluation(accuracies, fractions, counts);
    }

    /// <summary>Loads the run in <paramref name="runFolder"/> and meta-tests it on the test split; writes
    /// <c>test-{shots}shot-ratio{λ}.json</c> there (accuracy ± 95% CI, feature fractions, per-feature usage).</summary>
    /// <exception cref="FileNotFoundException">config.json or the checkpoint is missing.</exception>
    /// <exception cref="InvalidDataException">The checkpoint does not match the configured model.</exception>
    public static MetaTestResult Test(string runFolder, MetaTestOptions testOptions, IProgress<int>? progress = null, IFewShotDataset? dataset = null)
    {
        ArgumentNullException.ThrowIfNull(testOptions);
        testOptions.Validate();
        var folder = new RunFolder(runFolder);
        foreach (var path in new[] { folder.Config, folder.Checkpoint })
            if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing: is {runFolder} a meta-train run folder?", path);
        var options = ConfigFile.Load(folder.Config, new MetaLearningOptions());
        options.Validate();
        dataset ??= FewShotDatasets.Load(options.Dataset, options.DataPath, options.ImageSize);
        var model = CreateModel(options, dataset);
        var state = Checkpoint.Load(folder.Checkpoint);
        Checkpoint.CopyInto(state.Parameters, model.NamedParameters(), "parameters");
        Checkpoint.CopyInto(state.Buffers, model.NamedBuffers(), "buffers");
        double ratio = testOptions.LambdaRatio ?? options.LambdaRatio;
        int shots = testOptions.Shots ?? options.Shots;
        var sampler = new EpisodeSampler(dataset, FewShotSplit.Test, options.Episode with { Shots = shots }, testOptions.Seed);
        var clock = Stopwatch.StartNew();
        var evaluation = Evaluate(model, GroupSparseSvmHead.Relative(Solver(options), ratio, options.Lambda2), sampler, testOptions.Episodes, testOptions.BatchSize, progress);
        var (mean, half) = MeanAndInterval(evaluation.Accuracies);
        var result = new MetaTestResult(dataset.Name, options.Ways, shots, ratio, testOptions.Episodes, mean, half, evaluation.FeatureFractions.Average(),
            [.. evaluation.FeatureCounts.Select(c => (double)c / testOptions.Episodes)], clock.Elapsed.TotalSeconds, options.HeadSolver);
        JsonFiles.Write(TestPath(runFolder, shots, ratio), result);
        return result;
    }

    /// <summary>The result <see cref="Test"/> wrote earlier for the same shots, λ₁/λ₁max and episode count, or null.</summary>
    /// <exception cref="FileNotFoundException">The run's config.json is missing.</exception>
    public static MetaTestResult? ExistingTest(string runFolder, MetaTestOptions testOptions)
    {
        ArgumentNullException.ThrowIfNull(testOptions);
        var options = ConfigFile.Load(new RunFolder(runFolder).Config, new MetaLearningOptions());
        int shots = testOptions.Shots ?? options.Shots;
        double ratio = testOptions.LambdaRatio ?? options.LambdaRatio;
        string path = TestPath(runFolder, shots, ratio);
        if (!File.Exists(path)) return null;
        var result = JsonFiles.Read<MetaTestResult>(path);
        return result.Episodes == testOptions.Episodes ? result : null;
    }

    private static string TestPath(string runFolder, int shots, double ratio) =>
        new RunFolder(runFolder).File($"test-{shots}shot-ratio{ratio.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}.json");

    /// <summary>Mean and 95% half-width <c>1.96 · std / √n</c> (sample standard deviation).</summary>
    public static (double Mean, double HalfWidth) MeanAndInterval(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2) throw new ArgumentException($"A confidence interval needs at least 2 values, got {values.Count}.", nameof(values));
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return (mean, 1.96 * Math.Sqrt(variance / values.Count));
    }
}
