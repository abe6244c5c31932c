using System.Diagnostics;
using System.Globalization;
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
public sealed class TrainingRun : IDisposable
{
    private readonly TrainOptions _options;
    private readonly RunFolder _folder;
    private readonly TaskBatchSampler _sampler;
    private readonly BilevelStep _step;
    private readonly Lazy<EvaluationSet> _evaluation;
    private readonly ValidationTasks _validation;
    private readonly int[] _usage;
    private long _steps;
    private double _bestValidation = double.PositiveInfinity;
    private double? _lastValidation;
    private RunLock? _lock;

    /// <summary>Prepares a run in <see cref="TrainOptions.Out"/>; with <paramref name="resume"/>, continues the run there.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">An unknown latent or coefficient distribution (the message lists the valid ones).</exception>
    /// <exception cref="InvalidOperationException">The folder already holds a run and <paramref name="resume"/> is false, or
    /// it holds a run with a different configuration, or another process holds the folder's lock.</exception>
    public TrainingRun(TrainOptions options, bool resume = false, IImageDataset? source = null)
    {
        options.Validate();
        _folder = new RunFolder(options.Out);
        options = options with { Threads = (resume ? _folder.RecordedThreads() : null) ?? options.Threads ?? Parallelism.MaxThreads };
        source ??= DataSources.Open(options.Data);
        options = options with { ZDim = options.ZDim ?? source.Factors.Dimension };   // recorded, like the threads
        options.Validate(source.Shape);
        var data = DataRecord.Of(options.Data);
        _options = options;
        var distribution = LatentDistributions.Parse(options.Latents, source.Factors);
        var coefficients = TaskCoefficientSamplers.Parse(options.Coefficients);
        var inputs = TrainingInputs.Create(options, source);
        var batches = new TaskBatchOptions(options.Tasks, options.InnerShots, options.OuterShots,
            options.Outputs, options.LabelNoise, distribution, options.LatentNoise, 0, coefficients, (int)(options.Seed & int.MaxValue),
            RenderImages: inputs.NeedsImages, NoisyImages: options.LatentNoiseImages);
        _sampler = new TaskBatchSampler(source, batches);

        var root = new SeededRandom(options.Seed);
        var encoder = inputs.CreateEncoder(options.ZDim.Value, root.Fork(1));
        if (options.Initialisation == Initialisation.Haiku) HaikuInit.Apply(encoder, root.Fork(8));
        _step = new BilevelStep(options, inputs, encoder);
        var noise = new LatentNoise(source.Factors, options.LatentNoise, 0);
        _evaluation = new(() => EvaluationSet.Draw(new UniformLatents(source.Factors), noise, inputs, options.EvalSamples, root.Fork(2)));
        _validation = new ValidationTasks(source, batches, options.ValidationTasks);
        _usage = new int[options.ZDim.Value];
        _sampler.Sample(0);   // every option that only the task stream checks fails here, before the folder exists

        if (_folder.HoldsRun && !resume)
            throw new InvalidOperationException($"'{_folder.Path}' already holds a run; pass --resume to continue it or choose another --out.");
        _folder.Create();
        _lock = RunLock.Acquire(_folder.Path);
        try
        {
            AtomicFile.RemoveStale(_folder.Path);
            if (_folder.HoldsRun) DataRecord.EnsureSame(_folder, data);
            if (_folder.HoldsRun) Restore();
            if (_steps < options.Steps) MachineChange = MachineRecord.Continue(_folder, _steps, MachineKind.Current());
            DataRecord.Save(_folder, data);
            ConfigFile.Save(_folder.Config, options);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Releases the run folder's lock (also released when <see cref="Train"/> returns).</summary>
    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
    }

    /// <summary>The encoder f_θ being trained.</summary>
    public Module Encoder => _step.Encoder;

    /// <summary>Threads this run uses (recorded in its config; a resumed run keeps the recorded count).</summary>
    public int Threads => _options.Threads!.Value;

    /// <summary>Factors d of the data the run trains on (6 for 3D Shapes).</summary>
    public int FactorCount => _sampler.Options.Distribution!.Factors.Dimension;

    /// <summary>Steps done so far (the step a resumed run continues from).</summary>
    public long Step => _steps;

    /// <summary>When this resume runs other kernels than the machine that trained the run so far, what that means for its
    /// numbers (see <see cref="MachineRecord"/>); otherwise null.</summary>
    public string? MachineChange { get; }

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
        ObjectDisposedException.ThrowIf(_lock is null, this);
        using var threads = Parallelism.Scope(_options.Threads!.Value);   // the recorded count, whatever the process policy
        try
        {
            using var log = new CsvWriter(_folder.Log, TrainLogEntry.Columns, append: _steps > 0);
            if (_steps == 0) SaveCheckpoint(log);        // a good checkpoint exists from the start
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
                    // the row is in the log before the checkpoint that counts it commits; a resume cuts the log back to
                    // the length the checkpoint records, so log, usage counts and parameters move as one unit
                    if (evaluate) Commit(entry.ValidationLoss!.Value, log);
                    onLog?.Invoke(entry);
                    window = new StepStatistics();
                    clock.Restart();
                    lastLogStep = _steps;
                }
            }
            if (_steps < _options.Steps)                                  // stopped early: a consistent checkpoint, no results
            {
                SaveCheckpoint(log);
                throw new TrainingInterruptedException(_steps, _options.Steps);
            }
            return Finish();
        }
        finally
        {
            Dispose();
        }
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
        if (ConstantColumn(features) is int constant)
            throw Diverged($"learned feature {constant} is constant over the evaluation set (the encoder collapsed)", null);
        var scores = DisentanglementScores.Compute(_evaluation.Value.Latents, features);
        double validation = Diverging(() => _validation.Loss(_step));
        return entry with { ValidationLoss = validation, Mcc = scores.Mcc, R = scores.R };
    }

    /// <summary>Commits an evaluated step: best.safetensors first (when the validation loss improved), then the checkpoint,
    /// which records the best loss, so a kill between the two only makes the resumed run write the same best file again.</summary>
    private void Commit(double validation, CsvWriter log)
    {
        _lastValidation = validation;
        if (validation < _bestValidation)
        {
            _bestValidation = validation;
            Checkpoint.Save(_folder.Best, State(log));
        }
        SaveCheckpoint(log);
    }

    private static int? ConstantColumn(Matrix features)
    {
        for (int j = 0; j < features.Columns; j++)
        {
            double first = features[0, j];
            bool constant = true;
            for (int i = 1; i < features.Rows && constant; i++) constant = features[i, j] == first;
            if (constant) return j;
        }
        return null;
    }

    private DisentanglementScores Finish()
    {
        var evaluation = _evaluation.Value;
        var features = evaluation.Features(Encoder);
        var scores = DisentanglementScores.Compute(evaluation.Latents, features, _usage);
        var result = new EvaluationResult(_folder.Path, _options.Method, _steps, "train", false, "uniform", evaluation.GridIndices.Length, _usage,
            scores, EvaluationResult.Sampled, null, _lastValidation, null);
        Npy.Write(_folder.Features(result.Name), features.Data, [features.Rows, features.Columns]);
        Npy.Write(_folder.Latents(result.Name), evaluation.Latents.Data, [evaluation.Latents.Rows, evaluation.Latents.Columns]);
        JsonFiles.Write(_folder.Evaluation(result.Name), result);   // last: a result file means its arrays are complete
        JsonFiles.Write(_folder.Usage, _usage);
        return scores;
    }

    private T Diverging<T>(Func<T> step)
    {
        try { return step(); }
        catch (TrainingDivergedException e) { throw Diverged(e.Message, e); }
    }

    private TrainingDivergedException Diverged(string what, Exception? inner) => new(
        $"Training diverged at step {_steps + 1}: {what}. The last good checkpoint (step {LastCheckpointStep()}) is kept in '{_folder.Path}'; "
        + $"start a new run with a smaller --learning-rate (now {_options.LearningRate:G3}) and another --out"
        + " (--resume continues only with the same options, so it would diverge again).", inner);

    private long LastCheckpointStep()
    {
        try { return Checkpoint.Load(_folder.Checkpoint).Step; }
        catch (Exception e) when (e is IOException or InvalidDataException) { return 0; }
    }

    private void SaveCheckpoint(CsvWriter log)
    {
        Checkpoint.Save(_folder.Checkpoint, State(log));
        JsonFiles.Write(_folder.Usage, _usage);   // a readable copy; the checkpoint's is the one a resume trusts
    }

    private CheckpointState State(CsvWriter log)
    {
        log.Sync();   // the rows the checkpoint counts are on disk before it is
        return new(
        Encoder.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter),
        Encoder.NamedBuffers().ToDictionary(b => b.Name, b => b.Buffer),
        _step.Optimizer.ExportState(),
        new Dictionary<string, ulong[]>(),
        _steps,
        ConfigFile.ToJson(_options).ToJsonString(),
        new Dictionary<string, string>
        {
            [UsageKey] = string.Join(",", _usage),
            [LogLengthKey] = log.Length.ToString(CultureInfo.InvariantCulture),
            [BestValidationKey] = _bestValidation.ToString("R", CultureInfo.InvariantCulture),
        });
    }

    private const string UsageKey = "usage", LogLengthKey = "log-bytes", BestValidationKey = "best-validation";

    private void Restore()
    {
        _folder.EnsureResumable(_options);
        var state = Checkpoint.Load(_folder.Checkpoint);
        if (_options.Steps < state.Step)
            throw new ArgumentOutOfRangeException(nameof(TrainOptions.Steps), _options.Steps,
                $"Steps ({_options.Steps}) is below the step the run in '{_folder.Path}' has reached ({state.Step}); a resume may only keep or raise the target.");
        Checkpoint.CopyInto(state.Parameters, Encoder.NamedParameters().Select(p => (p.Name, p.Parameter)), "parameters");
        Checkpoint.CopyInto(state.Buffers, Encoder.NamedBuffers().Select(b => (b.Name, b.Buffer)), "buffers");
        _step.Optimizer.ImportState(state.OptimizerState);
        _steps = state.Step;
        var run = state.RunState ?? new Dictionary<string, string>();
        if (run.TryGetValue(UsageKey, out var usage))
        {
            var counts = usage.Length == 0 ? [] : usage.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            if (counts.Length != _usage.Length) throw new InvalidDataException($"{_folder.Checkpoint}: {counts.Length} usage counts for {_usage.Length} features.");
            counts.CopyTo(_usage, 0);
        }
        else if (File.Exists(_folder.Usage)) JsonFiles.Read<int[]>(_folder.Usage).CopyTo(_usage, 0);   // a checkpoint from before run state
        if (run.TryGetValue(LogLengthKey, out var length))
        {
            _folder.TruncateLogToBytes(long.Parse(length, CultureInfo.InvariantCulture));
            _bestValidation = File.Exists(_folder.Best) ? double.Parse(run[BestValidationKey], CultureInfo.InvariantCulture) : double.PositiveInfinity;
        }
        else
        {
            var log = _folder.TruncateLog(_steps);
            // best.safetensors holds the lowest validation loss logged so far; a resumed run must only replace it with a lower one.
            if (log is not null && File.Exists(_folder.Best))
                _bestValidation = log.Numbers("validation_loss").Where(double.IsFinite).DefaultIfEmpty(double.PositiveInfinity).Min();
        }
        _lastValidation = _folder.ValidationLossAt(_steps);   // a resume of a finished run only writes its results again
    }
}
