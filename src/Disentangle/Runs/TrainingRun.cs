using System.Diagnostics;
using Disentangle.Data;
using Disentangle.Data.Latents;
using Disentangle.Data.Tasks;
using Disentangle.Io;
using Disentangle.Metrics;
using Disentangle.Nn;
using Disentangle.Tensors;
using Disentangle.Training;

namespace Disentangle.Runs;

/// <summary>A training run of Eq. 4 in its folder: the task stream, <see cref="BilevelStep"/> after step, the log,
/// evaluations, checkpoints, the best checkpoint by validation loss, and resume.</summary>
/// <remarks>Batch i depends only on (seed, i) and every kernel is deterministic, so a run resumed from its checkpoint
/// reaches the same parameters, bitwise, as an uninterrupted one.</remarks>
public sealed class TrainingRun
{
    private readonly TrainOptions _options;
    private readonly RunFolder _folder;
    private readonly TaskBatchSampler _sampler;
    private readonly BilevelStep _step;
    private readonly Lazy<EvaluationSet> _evaluation;
    private readonly Lazy<TaskBatch> _validation;
    private readonly int[] _usage;
    private long _steps;
    private double _bestValidation = double.PositiveInfinity;

    /// <summary>Prepares a run in <see cref="TrainOptions.Out"/>; with <paramref name="resume"/>, continues the run there.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">An unknown latent or coefficient distribution (the message lists the valid ones).</exception>
    /// <exception cref="InvalidOperationException">The folder already holds a run and <paramref name="resume"/> is false, or
    /// it holds a run with a different configuration.</exception>
    public TrainingRun(TrainOptions options, bool resume = false, IShapesSource? source = null)
    {
        options.Validate();
        _options = options;
        _folder = new RunFolder(options.Out);
        source ??= ShapesSources.Open(options.Data);
        var distribution = LatentDistributions.Parse(options.Latents, source.Factors);
        var coefficients = TaskCoefficientSamplers.Parse(options.Coefficients);
        var inputs = TrainingInputs.Create(options, source);
        var batches = new TaskBatchOptions(options.Tasks, options.InnerShots, options.OuterShots,
            options.Outputs, options.LabelNoise, distribution, options.LatentNoise, 0, coefficients, (int)(options.Seed & int.MaxValue),
            RenderImages: inputs.NeedsImages);
        _sampler = new TaskBatchSampler(source, batches);

        var root = new SeededRandom(options.Seed);
        _step = new BilevelStep(options, inputs, inputs.CreateEncoder(options.ZDim, root.Fork(1)));
        var noise = new LatentNoise(source.Factors, options.LatentNoise, 0);
        _evaluation = new(() => EvaluationSet.Draw(new UniformLatents(source.Factors), noise, inputs, options.EvalSamples, root.Fork(2)));
        var validationSampler = new TaskBatchSampler(source, batches with { Tasks = options.ValidationTasks, Seed = batches.Seed ^ 0x5EED });
        _validation = new(() => validationSampler.Sample(0));
        _usage = new int[options.ZDim];

        if (_folder.HoldsRun)
        {
            if (!resume)
                throw new InvalidOperationException($"'{_folder.Path}' already holds a run; pass --resume to continue it or choose another --out.");
            Restore();
        }
        _folder.Create();
        ConfigFile.Save(_folder.Config, options);
    }

    /// <summary>The encoder f_θ being trained.</summary>
    public Module Encoder => _step.Encoder;

    /// <summary>Steps done so far (the step a resumed run continues from).</summary>
    public long Step => _steps;

    /// <summary>The folder the run writes to.</summary>
    public RunFolder Folder => _folder;

    /// <summary>Trains up to <see cref="TrainOptions.Steps"/>, logging, evaluating and checkpointing on the way.</summary>
    /// <param name="onLog">Receives every log entry (the CLI prints them).</param>
    /// <param name="progress">Receives the step count after each step.</param>
    /// <param name="cancel">Stops after the current step, with a checkpoint.</param>
    /// <returns>The scores of the final features on the evaluation set.</returns>
    /// <exception cref="TrainingDivergedException">The loss or the features became non-finite; the last checkpoint is kept.</exception>
    /// <exception cref="TrainingInterruptedException"><paramref name="cancel"/> stopped training before the last step.</exception>
    public DisentanglementScores Train(Action<TrainLogEntry>? onLog = null, IProgress<long>? progress = null, CancellationToken cancel = default)
    {
        if (_steps == 0) SaveCheckpoint();        // a good checkpoint exists from the start
        using var log = new CsvWriter(_folder.Log, TrainLogEntry.Columns, append: _steps > 0);
        using var batches = new PrefetchingTaskBatches(_sampler, _steps);
        var clock = Stopwatch.StartNew();
        long lastLogStep = _steps;
        var window = new StepStatistics();
        while (_steps < _options.Steps && !cancel.IsCancellationRequested)
        {
            var outcome = Diverging(() => _step.Take(batches.Next()));
            window.Add(outcome.OuterLoss, outcome.Head.Solutions);
            foreach (var solution in outcome.Head.Solutions)
                foreach (int j in solution.Support) _usage[j]++;
            _steps++;
            progress?.Report(_steps);
            bool evaluate = _steps % _options.EvalEvery == 0 || _steps == _options.Steps;
            if (_steps % _options.LogEvery == 0 || evaluate)
            {
                double rate = (_steps - lastLogStep) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                var entry = window.Entry(_steps, rate);
                if (evaluate) entry = Evaluate(entry);
                log.WriteRow(entry.Values());
                onLog?.Invoke(entry);
                window = new StepStatistics();
                clock.Restart();
                lastLogStep = _steps;
            }
        }
        if (_steps < _options.Steps)                                  // stopped early: a consistent checkpoint, no results
        {
            SaveCheckpoint();
            throw new TrainingInterruptedException(_steps, _options.Steps);
        }
        return Finish();
    }

    /// <summary>Draws batch <paramref name="index"/> of the run's task stream (what step <paramref name="index"/> trains on).</summary>
    public TaskBatch Batch(long index) => _sampler.Sample(index);

    /// <summary>One optimisation step on <paramref name="batch"/>, outside the run's step count, log and checkpoints
    /// (for benchmarks and custom loops); returns the outer loss.</summary>
    /// <exception cref="TrainingDivergedException">The loss or the features became non-finite.</exception>
    public double StepOn(TaskBatch batch) => _step.Take(batch).OuterLoss;

    private TrainLogEntry Evaluate(TrainLogEntry entry)
    {
        var features = _evaluation.Value.Features(Encoder);
        if (!features.Data.All(double.IsFinite) || !Encoder.Parameters().All(p => p.Data.All(float.IsFinite)))
            throw Diverged("the parameters or the evaluation features became non-finite", null);
        var scores = DisentanglementScores.Compute(_evaluation.Value.Latents, features);
        double validation = Diverging(() => _step.ValidationLoss(_validation.Value));
        SaveCheckpoint();
        if (validation < _bestValidation)
        {
            _bestValidation = validation;
            File.Copy(_folder.Checkpoint, _folder.Best, overwrite: true);
        }
        return entry with { ValidationLoss = validation, Mcc = scores.Mcc, R = scores.R };
    }

    private DisentanglementScores Finish()
    {
        var evaluation = _evaluation.Value;
        var features = evaluation.Features(Encoder);
        var scores = DisentanglementScores.Compute(evaluation.Latents, features, _usage);
        var result = new EvaluationResult(_folder.Path, _options.Method, _steps, "train", false, "uniform", evaluation.GridIndices.Length, _usage, scores);
        Npy.Write(_folder.Features(result.Name), features.Data, [features.Rows, features.Columns]);
        Npy.Write(_folder.Latents(result.Name), evaluation.Latents.Data, [evaluation.Latents.Rows, evaluation.Latents.Columns]);
        JsonFiles.Write(_folder.Evaluation(result.Name), result);
        JsonFiles.Write(_folder.Usage, _usage);
        return scores;
    }

    private T Diverging<T>(Func<T> step)
    {
        try { return step(); }
        catch (TrainingDivergedException e) { throw Diverged(e.Message, e); }
    }

    private TrainingDivergedException Diverged(string what, Exception? inner) => new(
        $"Training diverged at step {_steps + 1}: {what}. The last good checkpoint is kept in '{_folder.Checkpoint}'"
        + " (try a smaller --learning-rate, or --resume after changing the options).", inner);

    private void SaveCheckpoint()
    {
        Checkpoint.Save(_folder.Checkpoint, new CheckpointState(
            Encoder.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter),
            Encoder.NamedBuffers().ToDictionary(b => b.Name, b => b.Buffer),
            _step.Optimizer.ExportState(),
            new Dictionary<string, ulong[]>(),
            _steps,
            ConfigFile.ToJson(_options).ToJsonString()));
        JsonFiles.Write(_folder.Usage, _usage);
    }

    private void Restore()
    {
        _folder.EnsureResumable(_options);
        var state = Checkpoint.Load(_folder.Checkpoint);
        Checkpoint.CopyInto(state.Parameters, Encoder.NamedParameters().Select(p => (p.Name, p.Parameter)), "parameters");
        Checkpoint.CopyInto(state.Buffers, Encoder.NamedBuffers().Select(b => (b.Name, b.Buffer)), "buffers");
        _step.Optimizer.ImportState(state.OptimizerState);
        _steps = state.Step;
        if (File.Exists(_folder.Usage)) JsonFiles.Read<int[]>(_folder.Usage).CopyTo(_usage, 0);
        var log = _folder.TruncateLog(_steps);
        // best.safetensors holds the lowest validation loss logged so far; a resumed run must only replace it with a lower one.
        if (log is not null && File.Exists(_folder.Best))
            _bestValidation = log.Numbers("validation_loss").Where(double.IsFinite).DefaultIfEmpty(double.PositiveInfinity).Min();
    }
}
