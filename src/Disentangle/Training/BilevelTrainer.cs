using System.Diagnostics;
using Disentangle.Data;
using Disentangle.Experiments;
using Disentangle.Io;
using Disentangle.Nn;
using Disentangle.Optim;
using Disentangle.Solvers;
using Disentangle.Tensors;

namespace Disentangle.Training;

/// <summary>The bilevel trainer of Eq. 4: per step, T tasks → encoder features → inner problems (<see cref="SparseHead"/>)
/// → outer loss → implicit-differentiation backward → Adam; evaluation, checkpoints and the log every few steps.</summary>
/// <remarks>Batch i depends only on (seed, i) and every kernel is deterministic, so a run resumed from its checkpoint
/// reaches the same parameters, bitwise, as an uninterrupted one.</remarks>
public sealed class BilevelTrainer
{
    private readonly TrainOptions _options;
    private readonly RunFolder _folder;
    private readonly TaskBatchSampler _sampler;
    private readonly TrainingInputs _inputs;
    private readonly SparseHead _head;
    private readonly TaskLayout _layout;
    private readonly Adam _optimizer;
    private readonly Lazy<EvaluationSet> _evaluation;
    private readonly Lazy<TaskBatch> _validation;
    private readonly int[] _usage;
    private long _step;
    private double _bestValidation = double.PositiveInfinity;

    /// <summary>Prepares a run in <see cref="TrainOptions.Out"/>; with <paramref name="resume"/>, continues the run there.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">An unknown latent or coefficient distribution (the message lists the valid ones).</exception>
    /// <exception cref="InvalidOperationException">The folder already holds a run and <paramref name="resume"/> is false, or
    /// it holds a run with a different configuration.</exception>
    public BilevelTrainer(TrainOptions options, bool resume = false, IShapesSource? source = null)
    {
        options.Validate();
        _folder = new RunFolder(options.Out);
        options = options with { Threads = (resume ? RecordedThreads() : null) ?? options.Threads ?? Parallelism.MaxThreads };
        _options = options;
        source ??= ShapesSources.Open(options.Data);
        var distribution = LatentDistributions.Parse(options.Latents, source.Factors);
        var coefficients = TaskCoefficientSamplers.Parse(options.Coefficients);
        _inputs = TrainingInputs.Create(options, source);
        var batches = new TaskBatchOptions(options.Tasks, options.InnerShots, options.OuterShots,
            options.Outputs, options.LabelNoise, distribution, options.LatentNoise, 0, coefficients, (int)(options.Seed & int.MaxValue),
            RenderImages: _inputs.NeedsImages);
        _sampler = new TaskBatchSampler(source, batches);
        _layout = options.Split ? TaskLayout.Split(options.Tasks, options.InnerShots, options.OuterShots)
                                : TaskLayout.Shared(options.Tasks, options.InnerShots + options.OuterShots);
        IInnerSolver solver = options.SparseInner
            ? new LassoSolver(options.Outputs > 1 ? new GroupL2() : new L1(), new CdOptions(options.InnerTolerance, options.InnerMaxEpochs))
            : new RidgeSolver();
        _head = new SparseHead(solver, options.EffectiveLambdaRatio);

        var root = new SeededRandom(options.Seed);
        Encoder = _inputs.CreateEncoder(options.ZDim, root.Fork(1));
        _optimizer = new Adam([.. Encoder.Parameters()], new AdamOptions(options.LearningRate));
        var noise = new LatentNoise(source.Factors, options.LatentNoise, 0);
        _evaluation = new(() => EvaluationSet.Draw(new UniformLatents(source.Factors), noise, _inputs, options.EvalSamples, root.Fork(2)));
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
    public Module Encoder { get; }

    /// <summary>Threads this run uses (recorded in its config; a resumed run keeps the recorded count).</summary>
    public int Threads => _options.Threads!.Value;

    /// <summary>Steps done so far (the step a resumed run continues from).</summary>
    public long Step => _step;

    /// <summary>The folder the run writes to.</summary>
    public RunFolder Folder => _folder;

    /// <summary>Trains up to <see cref="TrainOptions.Steps"/>, logging, evaluating and checkpointing on the way.</summary>
    /// <param name="onLog">Receives every log entry (the CLI prints them).</param>
    /// <param name="progress">Receives the step count after each step.</param>
    /// <param name="cancel">Stops after the current step, with a checkpoint.</param>
    /// <returns>The scores of the final features on the evaluation set.</returns>
    /// <exception cref="TrainingDivergedException">The loss or the features became non-finite; the last checkpoint is kept.</exception>
    public DisentanglementScores Train(Action<TrainLogEntry>? onLog = null, IProgress<long>? progress = null, CancellationToken cancel = default)
    {
        using var threads = Parallelism.Scope(_options.Threads!.Value);   // the recorded count, whatever the process policy
        if (_step == 0) SaveCheckpoint(_folder.Checkpoint);        // a good checkpoint exists from the start
        using var log = new CsvWriter(_folder.Log, TrainLogEntry.Columns, append: _step > 0);
        using var batches = new PrefetchingTaskBatches(_sampler, _step);
        var clock = Stopwatch.StartNew();
        long lastLogStep = _step;
        var window = new StepStatistics();
        while (_step < _options.Steps && !cancel.IsCancellationRequested)
        {
            var output = TrainStep(batches.Next(), window);
            _step++;
            progress?.Report(_step);
            bool evaluate = _step % _options.EvalEvery == 0 || _step == _options.Steps;
            if (_step % _options.LogEvery == 0 || evaluate)
            {
                double rate = (_step - lastLogStep) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                var entry = window.Entry(_step, rate);
                if (evaluate) entry = Evaluate(entry);
                log.WriteRow(entry.Values());
                onLog?.Invoke(entry);
                window = new StepStatistics();
                clock.Restart();
                lastLogStep = _step;
            }
            GC.KeepAlive(output);
        }
        if (cancel.IsCancellationRequested) SaveCheckpoint(_folder.Checkpoint);
        return Finish();
    }

    /// <summary>Draws batch <paramref name="index"/> of the run's task stream (what step <paramref name="index"/> trains on).</summary>
    public TaskBatch Batch(long index) => _sampler.Sample(index);

    /// <summary>One optimisation step on <paramref name="batch"/>, outside the run's step count, log and checkpoints
    /// (for benchmarks and custom loops); returns the outer loss.</summary>
    /// <exception cref="TrainingDivergedException">The loss or the features became non-finite.</exception>
    public double StepOn(TaskBatch batch)
    {
        var statistics = new StepStatistics();
        TrainStep(batch, statistics);
        return statistics.Entry(0, 0).OuterLoss;
    }

    private HeadOutput TrainStep(TaskBatch batch, StepStatistics statistics)
    {
        var features = Encoder.Forward(_inputs.Of(batch));
        var targets = Enumerable.Range(0, _layout.Tasks).Select(batch.TaskTargets).ToArray();
        HeadOutput output;
        try { output = _head.Forward(features, targets, _layout); }
        catch (ArgumentException e) when (e.Message.Contains("NaN"))
        {
            throw Diverged("the encoder's features became non-finite", e);
        }
        var loss = OuterLoss(output, targets);
        if (!float.IsFinite(loss.Data[0])) throw Diverged($"the outer loss is {loss.Data[0]}", null);
        _optimizer.ZeroGrad();
        loss.Backward();
        _optimizer.Step();
        statistics.Add(loss.Data[0], output.Solutions);
        foreach (var solution in output.Solutions)
            foreach (int j in solution.Support) _usage[j]++;
        return output;
    }

    private Tensor OuterLoss(HeadOutput output, Matrix[] targets)
    {
        int k = _options.Outputs, nOut = _layout.OuterSamples;
        var outer = new float[_layout.Tasks * nOut * k];
        int offset = _layout.SameSamples ? 0 : _layout.InnerSamples * k;
        for (int t = 0; t < _layout.Tasks; t++)
            for (int i = 0; i < nOut * k; i++) outer[t * nOut * k + i] = (float)targets[t].Data[offset + i];
        var loss = output.Predictions.MseLoss(new Tensor(outer, [_layout.Tasks * nOut, k]));
        if (_options.Method != TrainMethod.OuterL1 || _options.OuterPenalty == 0) return loss;
        // λ_out · mean_t Σ_j ‖Ŵ_t,j‖ (rows of each task's W; ε keeps the gradient finite at 0).
        var rowNorms = output.Coefficients.Square().Sum([2]).Add(1e-12f).Sqrt();
        return loss.Add(rowNorms.Sum().Mul((float)(_options.OuterPenalty / _layout.Tasks)));
    }

    private TrainLogEntry Evaluate(TrainLogEntry entry)
    {
        var features = _evaluation.Value.Features(Encoder);
        if (!features.Data.All(double.IsFinite) || !Encoder.Parameters().All(p => p.Data.All(float.IsFinite)))
            throw Diverged("the parameters or the evaluation features became non-finite", null);
        var scores = DisentanglementScores.Compute(_evaluation.Value.Latents, features);
        double validation = ValidationLoss();
        SaveCheckpoint(_folder.Checkpoint);
        if (validation < _bestValidation)
        {
            _bestValidation = validation;
            File.Copy(_folder.Checkpoint, _folder.Best, overwrite: true);
        }
        return entry with { ValidationLoss = validation, Mcc = scores.Mcc, R = scores.R };
    }

    private double ValidationLoss()
    {
        var batch = _validation.Value;
        bool wasTraining = Encoder.Training;
        Encoder.Eval();
        try
        {
            using var _ = new Autodiff.NoGrad();
            var layout = _layout with { Tasks = batch.Tasks };
            var targets = Enumerable.Range(0, batch.Tasks).Select(batch.TaskTargets).ToArray();
            var output = _head.Forward(Encoder.Forward(_inputs.Of(batch)), targets, layout);
            return OuterLossOn(output, targets, layout);
        }
        finally { Encoder.Train(wasTraining); }
    }

    private double OuterLossOn(HeadOutput output, Matrix[] targets, TaskLayout layout)
    {
        double sum = 0;
        int k = _options.Outputs, nOut = layout.OuterSamples, offset = layout.SameSamples ? 0 : layout.InnerSamples * k;
        for (int t = 0; t < layout.Tasks; t++)
            for (int i = 0; i < nOut * k; i++)
            {
                double r = output.Predictions.Data[t * nOut * k + i] - targets[t].Data[offset + i];
                sum += r * r;
            }
        return sum / (layout.Tasks * nOut * k);
    }

    private DisentanglementScores Finish()
    {
        var evaluation = _evaluation.Value;
        var features = evaluation.Features(Encoder);
        Npy.Write(_folder.Features, features.Data, [features.Rows, features.Columns]);
        Npy.Write(_folder.Latents, evaluation.Latents.Data, [evaluation.Latents.Rows, evaluation.Latents.Columns]);
        var scores = DisentanglementScores.Compute(evaluation.Latents, features, _usage);
        JsonFiles.Write(_folder.Metrics, new { Step = _step, Grid = "uniform", Samples = evaluation.GridIndices.Length, FeatureUsage = _usage, Scores = scores });
        JsonFiles.Write(_folder.File("usage.json"), _usage);
        return scores;
    }

    private TrainingDivergedException Diverged(string what, Exception? inner) => new(
        $"Training diverged at step {_step + 1}: {what}. The last good checkpoint is kept in '{_folder.Checkpoint}'"
        + " (try a smaller --learning-rate, or --resume after changing the options).", inner);

    private void SaveCheckpoint(string path)
    {
        var state = new CheckpointState(
            Encoder.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter),
            Encoder.NamedBuffers().ToDictionary(b => b.Name, b => b.Buffer),
            _optimizer.ExportState(),
            new Dictionary<string, ulong[]>(),
            _step,
            ConfigFile.ToJson(_options).ToJsonString());
        Io.Checkpoint.Save(path, state);
        JsonFiles.Write(_folder.File("usage.json"), _usage);
    }

    /// <summary>The thread count a run already in the folder recorded (a resume uses it: results differ bitwise with it).</summary>
    private int? RecordedThreads()
    {
        if (!_folder.HoldsRun || !File.Exists(_folder.Config)) return null;
        var saved = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(_folder.Config))?.AsObject();
        return saved?["threads"]?.GetValue<int>();
    }

    private void Restore()
    {
        var saved = ConfigFile.Merge(new TrainOptions(), System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(_folder.Config))!.AsObject(), _folder.Config);
        var differences = ConfigFile.ToJson(saved).Where(p => p.Key is not ("steps" or "out" or "threads")
            && ConfigFile.ToJson(_options)[p.Key]?.ToJsonString() != p.Value?.ToJsonString()).Select(p => p.Key).ToArray();
        if (differences.Length > 0)
            throw new InvalidOperationException($"Cannot resume '{_folder.Path}': its config differs in {string.Join(", ", differences)} (only steps may change).");
        var state = Io.Checkpoint.Load(_folder.Checkpoint);
        Io.Checkpoint.CopyInto(state.Parameters, Encoder.NamedParameters().Select(p => (p.Name, p.Parameter)), "parameters");
        Io.Checkpoint.CopyInto(state.Buffers, Encoder.NamedBuffers().Select(b => (b.Name, b.Buffer)), "buffers");
        _optimizer.ImportState(state.OptimizerState);
        _step = state.Step;
        if (File.Exists(_folder.File("usage.json"))) JsonFiles.Read<int[]>(_folder.File("usage.json")).CopyTo(_usage, 0);
        var log = TruncateLog(_step);
        // best.safetensors holds the lowest validation loss logged so far; a resumed run must only replace it with a lower one.
        if (log is not null && File.Exists(_folder.Best))
            _bestValidation = log.Numbers("validation_loss").Where(double.IsFinite).DefaultIfEmpty(double.PositiveInfinity).Min();
    }

    /// <summary>Drops the log rows after <paramref name="step"/> (written after the checkpoint); returns the rows kept.</summary>
    private CsvTable? TruncateLog(long step)
    {
        if (!File.Exists(_folder.Log)) return null;
        var table = CsvTable.Read(_folder.Log);
        var kept = table.Rows.Where(r => long.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture) <= step).ToList();
        using (var writer = new CsvWriter(_folder.Log + ".tmp", table.Columns))
            foreach (var row in kept) writer.WriteRow(row.Cast<object?>().ToArray());
        File.Move(_folder.Log + ".tmp", _folder.Log, overwrite: true);
        return table with { Rows = kept };
    }

    /// <summary>Running means of the inner-solver diagnostics between two log lines.</summary>
    private sealed class StepStatistics
    {
        private int _steps, _problems, _converged;
        private double _loss, _support, _epochs, _gap;

        public void Add(double loss, InnerSolution[] solutions)
        {
            _steps++;
            _loss += loss;
            foreach (var s in solutions)
            {
                _problems++;
                _support += s.Support.Length;
                _epochs += s.Report.Epochs;
                _gap = Math.Max(_gap, s.Report.DualityGap);
                if (s.Report.Converged) _converged++;
            }
        }

        public TrainLogEntry Entry(long step, double rate) => new(step, _loss / Math.Max(_steps, 1), _support / Math.Max(_problems, 1),
            _epochs / Math.Max(_problems, 1), _gap, _converged / (double)Math.Max(_problems, 1), rate);
    }
}
