using System.Diagnostics;
using Disentangle.FewShot;
using Disentangle.Io;
using Disentangle.Optim;
using Disentangle.Runs;
using Disentangle.Solvers;
using Disentangle.Solvers.GroupSparseSvm;
using Disentangle.Tensors;
using Disentangle.Training;

namespace Disentangle.Experiments;

/// <summary>Few-shot meta-training and meta-testing of a backbone through the group-sparse SVM head (method.md §6).</summary>
/// <remarks>Each step: T episodes, support and query features from the backbone, per task
/// <c>W_t = argmin P(W; X_s,t)</c> with <c>λ₁ = ratio · λ₁max</c>, loss = mean cross-entropy of <c>scale · X_q,t W_t</c>,
/// gradients by implicit differentiation, SGD with Nesterov momentum on the backbone and the scale.</remarks>
public sealed partial class MetaLearningExperiment
{
    private readonly MetaLearningOptions _options;

    /// <summary>Validates the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public MetaLearningExperiment(MetaLearningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>The options.</summary>
    public MetaLearningOptions Options => _options;

    /// <summary>MetaOptNet's learning-rate schedule with its epoch boundaries (20, 40, 50 of 60) mapped to the same
    /// fractions of <paramref name="totalSteps"/> (pieces that would be empty are dropped).</summary>
    public static MultiStepSchedule Schedule(double baseRate, int totalSteps)
    {
        var starts = new List<int>();
        var factors = new List<double>();
        foreach (var (start, factor) in new[] { (0, 1.0), (20, 0.06), (40, 0.012), (50, 0.0024) })
        {
            int step = (int)((long)start * totalSteps / 60);
            if (starts.Count > 0 && step <= starts[^1]) continue;
            starts.Add(step);
            factors.Add(factor);
        }
        return new MultiStepSchedule(baseRate, starts, factors);
    }

    /// <summary>The dual solver configured by the options.</summary>
    public static IGroupSparseSvmSolver Solver(MetaLearningOptions options) => options.HeadSolver == SvmHeadSolver.ProjectedGradient
        ? new ProjectedGradientSvmDual(new ProjectedGradientSvmOptions(options.DualRegularisation, options.HeadSteps, options.HeadCgSteps))
        : new GroupSparseSvmDual(new GroupSparseSvmOptions(Tolerance: options.SolverTolerance, LambdaMaxTolerance: options.LambdaMaxTolerance));

    /// <summary>Builds the model for <paramref name="dataset"/> as configured (seeded by the options).</summary>
    public static FewShotModel CreateModel(MetaLearningOptions options, IFewShotDataset dataset) =>
        new(options.Backbone, dataset.Channels, dataset.ImageSize, options.Width, new SeededRandom(options.Seed).Fork(0));

    /// <summary>Meta-trains, writing config.json, log.csv (one row per epoch) and the checkpoint after every epoch.</summary>
    /// <param name="progress">Receives the number of finished steps.</param>
    /// <param name="dataset">The benchmark, or null to open the configured one.</param>
    /// <param name="onEpoch">Receives each epoch's log entry as it finishes.</param>
    /// <param name="overwrite">Replace a meta-training run already in <see cref="MetaLearningOptions.Out"/> (otherwise refused).</param>
    /// <exception cref="InvalidOperationException">The folder already holds a run and <paramref name="overwrite"/> is false,
    /// or another process holds it.</exception>
    /// <exception cref="TrainingDivergedException">The loss became non-finite.</exception>
    public MetaTrainResult Train(IProgress<int>? progress = null, IFewShotDataset? dataset = null, Action<MetaTrainLogEntry>? onEpoch = null, bool overwrite = false)
    {
        var o = _options;
        var folder = new RunFolder(o.Out);
        if (folder.HoldsRun && !overwrite)
            throw new InvalidOperationException($"'{folder.Path}' already holds a meta-training run; pass --force to overwrite it or choose another --out.");
        dataset ??= FewShotDatasets.Load(o.Dataset, o.DataPath, o.ImageSize);
        folder.Create();
        using var runLock = RunLock.Acquire(folder.Path);
        AtomicFile.RemoveStale(folder.Path);
        ConfigFile.Save(folder.Config, o);
        var augmentation = o.Augment ? new AugmentationOptions(CropPadding: dataset.ImageSize >= 32 ? 4 : 2) : null;
        var sampler = new EpisodeSampler(dataset, FewShotSplit.Train, o.Episode, o.Seed + 1, augmentation);
        var validation = o.ValidationEpisodes > 0 ? new EpisodeSampler(dataset, FewShotSplit.Validation, o.Episode, o.Seed + 2) : null;
        var model = CreateModel(o, dataset);
        var head = GroupSparseSvmHead.Relative(Solver(o), o.LambdaRatio, o.Lambda2);
        var optimizer = new Sgd([.. model.Parameters()], new SgdOptions(o.LearningRate, o.Momentum, Nesterov: true, WeightDecay: o.WeightDecay));
        var schedule = Schedule(o.LearningRate, o.Epochs * o.StepsPerEpoch);
        var log = new List<MetaTrainLogEntry>();
        var clock = Stopwatch.StartNew();
        using var csv = new CsvWriter(folder.Log,
            ["epoch", "step", "learning_rate", "loss", "accuracy", "feature_fraction", "scale", "validation_accuracy", "seconds"]);
        int step = 0;
        for (int epoch = 1; epoch <= o.Epochs; epoch++)
        {
            double loss = 0, accuracy = 0, fraction = 0;
            model.Train();
            for (int s = 0; s < o.StepsPerEpoch; s++, step++)
            {
                optimizer.LearningRate = schedule.Rate(step);
                var outcome = Step(model, head, optimizer, sampler.SampleBatch((long)step * o.MetaBatch, o.MetaBatch), o.Ways);
                if (!double.IsFinite(outcome.Loss)) throw new TrainingDivergedException($"Meta-training diverged at step {step + 1}: loss {outcome.Loss}; start again with a smaller --learning-rate (now {o.LearningRate:G3}).");
                loss += outcome.Loss;
                accuracy += outcome.Accuracy;
                fraction += outcome.Output.FeatureFractions.Average();
                progress?.Report(step + 1);
            }
            double validationAccuracy = validation is null ? double.NaN
                : Evaluate(model, head, validation, o.ValidationEpisodes, o.MetaBatch).Accuracies.Average();
            var entry = new MetaTrainLogEntry(epoch, step, optimizer.LearningRate, loss / o.StepsPerEpoch, accuracy / o.StepsPerEpoch,
                fraction / o.StepsPerEpoch, model.Scale.Data[0], validationAccuracy, clock.Elapsed.TotalSeconds);
            log.Add(entry);
            csv.WriteRow(entry.Epoch, entry.Step, entry.LearningRate, entry.Loss, entry.Accuracy, entry.FeatureFraction, entry.Scale,
                entry.ValidationAccuracy, entry.Seconds);
            SaveCheckpoint(folder.Checkpoint, model, optimizer, step);
            onEpoch?.Invoke(entry);
        }
        return new MetaTrainResult(log, o.Out, (double)step * o.MetaBatch / clock.Elapsed.TotalSeconds);
    }

    /// <summary>One meta-training step on <paramref name="batch"/>: features, SVM head, query cross-entropy of
    /// <c>scale · scores</c>, backward by implicit differentiation, optimizer step.</summary>
    /// <returns>The loss, the query accuracy and the head's output.</returns>
    public static (double Loss, double Accuracy, SvmHeadOutput Output) Step(FewShotModel model, GroupSparseSvmHead head, IOptimizer optimizer, EpisodeBatch batch, int ways)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(batch);
        var output = head.Forward(model.Forward(batch.Support), batch.SupportLabels, model.Forward(batch.Query), ways);
        var logits = output.Scores.Mul(model.Scale);
        var loss = logits.CrossEntropy(batch.QueryLabels);
        optimizer.ZeroGrad();
        loss.Backward();
        optimizer.Step();
        return (loss.Item(), Accuracy(logits.Data, batch.QueryLabels, ways), output);
    }

    private void SaveCheckpoint(string path, FewShotModel model, Sgd optimizer, long step) =>
        Checkpoint.Save(path, new CheckpointState(
            model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter),
            model.NamedBuffers().ToDictionary(b => b.Name, b => b.Buffer),
            optimizer.ExportState(), new Dictionary<string, ulong[]>(), step, ConfigFile.ToJson(_options).ToJsonString()));

    /// <summary>Fraction of rows of <paramref name="logits"/> (row-major, <paramref name="classes"/> columns) whose
    /// arg-max is the label.</summary>
    public static double Accuracy(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes)
    {
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            var row = logits.Slice(i * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
            if (best == labels[i]) correct++;
        }
        return (double)correct / labels.Length;
    }
}
