using Disentangle.Data;
using Disentangle.Data.Latents;
using Disentangle.Ica;
using Disentangle.Io;
using Disentangle.Metrics;
using Disentangle.Nn;
using Disentangle.Plots;
using Disentangle.Tensors;
using Disentangle.Training;

namespace Disentangle.Runs;

/// <summary>The scores of one evaluation set.</summary>
/// <param name="Grid">"uniform" (the reference's out-of-distribution grid) or the training distribution's name.</param>
/// <param name="Samples">Number of samples.</param>
/// <param name="Scores">MCC, R, DCI, …</param>
public sealed record EvaluationScores(string Grid, int Samples, DisentanglementScores Scores);

/// <summary>Everything <c>disentangle evaluate</c> reports.</summary>
/// <param name="Run">The run folder.</param>
/// <param name="Method">The run's method.</param>
/// <param name="Step">The evaluated checkpoint's step.</param>
/// <param name="Checkpoint">Which checkpoint.</param>
/// <param name="Ica">Whether FastICA was applied to the features.</param>
/// <param name="FeatureUsage">Per feature, how many task predictors used it during training.</param>
/// <param name="Sets">Scores per evaluation set.</param>
/// <param name="Evaluation">"full-grid" (every grid image, the reference's) or "sampled" (uniform draws).</param>
/// <param name="IcaSamples">Training-distribution samples FastICA was fitted on; null without ICA.</param>
public sealed record EvaluationReport(string Run, TrainMethod Method, long Step, CheckpointChoice Checkpoint, bool Ica, int[] FeatureUsage,
    IReadOnlyList<EvaluationScores> Sets, string Evaluation = "sampled", int? IcaSamples = null);

/// <summary>Evaluates a trained run: metrics on the uniform grid (and optionally the training distribution), FastICA for
/// inner-ridge-ica, <c>metrics.json</c>, the feature/factor correlation heatmap and latent traversals (Figures 11–14).</summary>
public sealed class RunEvaluation
{
    private readonly RunFolder _folder;
    private readonly TrainOptions _train;
    private readonly EvaluateOptions _options;
    private readonly IImageDataset _source;
    private readonly TrainingInputs _inputs;

    /// <summary>Opens the run in <paramref name="runFolder"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">It is not a run folder, or its files are malformed.</exception>
    public RunEvaluation(string runFolder, EvaluateOptions options, IImageDataset? source = null)
    {
        options.Validate();
        _folder = new RunFolder(runFolder);
        _folder.EnsureRun();
        _options = options;
        _train = ConfigFile.Load(_folder.Config, new TrainOptions());
        _source = source ?? DataSources.Open(_train.Data);
        if (source is null) DataRecord.EnsureSame(_folder, DataRecord.Of(_train.Data));
        int zDim = _train.ZDim ?? _source.Factors.Dimension;
        double perSample = 4.0 * _train.InputSizeFor(_source.Shape) + 8.0 * (zDim + 12);
        MemoryBudget.Ensure(perSample * options.Samples * (options.TrainingDistribution ? 2 : 1), nameof(options.Samples), options.Samples, "the evaluation sets");
        MemoryBudget.Ensure(perSample * options.IcaSamples, nameof(options.IcaSamples), options.IcaSamples, "the FastICA fit");
        _inputs = TrainingInputs.Create(_train, _source);
        Encoder = _inputs.CreateEncoder(zDim, new Random(0));
        Scored = options.Checkpoint;
        if (options.Checkpoint == CheckpointChoice.Best && !File.Exists(_folder.Best))
        {
            Scored = CheckpointChoice.Last;
            Notice = $"{_folder.Best} does not exist (no evaluation improved the validation loss, or the run stopped before its first one); scoring the last checkpoint instead";
        }
        var state = Checkpoint.Load(Scored == CheckpointChoice.Best ? _folder.Best : _folder.Checkpoint);
        Checkpoint.CopyInto(state.Parameters, Encoder.NamedParameters().Select(p => (p.Name, p.Parameter)), "parameters");
        Checkpoint.CopyInto(state.Buffers, Encoder.NamedBuffers().Select(b => (b.Name, b.Buffer)), "buffers");
        Step = state.Step;
    }

    /// <summary>The trained encoder.</summary>
    public Module Encoder { get; }

    /// <summary>The run's options.</summary>
    internal TrainOptions TrainOptions => _train;

    /// <summary>The checkpoint actually scored: <see cref="CheckpointChoice.Last"/> when best was asked for but the run has none.</summary>
    public CheckpointChoice Scored { get; }

    /// <summary>Why <see cref="Scored"/> differs from the choice asked for; null when it does not.</summary>
    public string? Notice { get; }

    /// <summary>The run's data source and encoder inputs.</summary>
    internal (IImageDataset Source, TrainingInputs Inputs) Data => (_source, _inputs);

    /// <summary>The FastICA unmixing that <see cref="Run"/> fits with these options (same samples, same seed).</summary>
    internal FastIcaResult FitIca()
    {
        var root = new SeededRandom(_options.Seed);
        var noise = new LatentNoise(_source.Factors, _train.LatentNoise, 0);
        var fitSet = EvaluationSet.Draw(LatentDistributions.Parse(_train.Latents, _source.Factors), noise, _inputs, _options.IcaSamples, root.Fork(1));
        return new FastIca(new FastIcaOptions()).Fit(fitSet.Features(Encoder), root.Fork(2));
    }

    /// <summary>The evaluated checkpoint's step.</summary>
    public long Step { get; }

    /// <summary>Grid points the evaluation encodes (the scale of <see cref="Run"/>'s progress).</summary>
    public int PlannedSamples => SetSize * (_options.TrainingDistribution ? 2 : 1) + (IcaApplied ? _options.EffectiveIcaSamples : 0);

    private int SetSize => _options.FullGrid ? _source.Factors.Count : _options.Samples;

    private bool IcaApplied => _options.Ica ?? _train.Method == TrainMethod.InnerRidgeIca;

    /// <summary>Computes the report and writes <c>metrics.json</c>, <c>features.npy</c>, <c>latents.npy</c>,
    /// <c>correlations.png</c> and <c>traversals.png</c> into the run folder (when ICA is applied to a run trained without
    /// it: <c>metrics_ica.json</c>, <c>features_ica.npy</c>, <c>correlations_ica.png</c>, <c>traversals_ica.png</c>).</summary>
    /// <param name="progress">Receives the number of grid points encoded so far (out of <see cref="PlannedSamples"/>).</param>
    /// <exception cref="InvalidOperationException">Another process holds the run folder's lock.</exception>
    public EvaluationReport Run(IProgress<int>? progress = null)
    {
        using var runLock = RunLock.Acquire(_folder.Path);
        AtomicFile.RemoveStale(_folder.Path);
        var root = new SeededRandom(_options.Seed);
        var noise = new LatentNoise(_source.Factors, _train.LatentNoise, 0);
        bool ica = IcaApplied;
        var training = LatentDistributions.Parse(_train.Latents, _source.Factors);
        int done = 0;
        (Matrix Latents, Matrix Features) Encode(int[] indices)
        {
            var encoded = StreamedEncoding.Encode(indices, noise, _inputs, Encoder, progress, done);
            done += indices.Length;
            return encoded;
        }
        int[] Draw(ILatentDistribution distribution, int count, Random random)
        {
            var indices = new int[count];
            distribution.Sample(random, indices);
            return indices;
        }
        FastIcaResult? unmixing = null;
        if (ica)
            unmixing = new FastIca(new FastIcaOptions()).Fit(Encode(Draw(training, _options.EffectiveIcaSamples, root.Fork(1))).Features, root.Fork(2));
        Matrix Unmixed(Matrix features) => unmixing is null ? features : unmixing.Transform(features);

        int[] usage = File.Exists(_folder.File("usage.json")) ? JsonFiles.Read<int[]>(_folder.File("usage.json")) : [];
        var sets = new List<EvaluationScores>();
        // The full grid is every grid point once (the reference's evaluation); otherwise uniform draws.
        var uniformIndices = _options.FullGrid ? Enumerable.Range(0, _source.Factors.Count).ToArray()
                                               : Draw(new UniformLatents(_source.Factors), _options.Samples, root.Fork(3));
        var uniform = Encode(uniformIndices);
        var uniformFeatures = Unmixed(uniform.Features);
        sets.Add(new("uniform", uniformIndices.Length, DisentanglementScores.Compute(uniform.Latents, uniformFeatures, usage.Length > 0 ? usage : null)));
        if (_options.TrainingDistribution)
        {
            var inDistribution = Encode(Draw(training, SetSize, root.Fork(4)));
            sets.Add(new(training.Name, SetSize, DisentanglementScores.Compute(inDistribution.Latents, Unmixed(inDistribution.Features), usage.Length > 0 ? usage : null)));
        }
        var report = new EvaluationReport(_folder.Path, _train.Method, Step, Scored, ica, usage, sets,
            _options.FullGrid ? "full-grid" : "sampled", ica ? _options.EffectiveIcaSamples : null);
        // An ICA evaluation of a run trained without it (inner-ridge + ICA from an inner-ridge run) keeps its own files.
        string suffix = ica && _train.Method != TrainMethod.InnerRidgeIca ? "_ica" : "";
        JsonFiles.Write(_folder.File($"metrics{suffix}.json"), report);
        Npy.Write(_folder.File($"features{suffix}.npy"), uniformFeatures.Data, [uniformFeatures.Rows, uniformFeatures.Columns]);
        Npy.Write(_folder.Latents, uniform.Latents.Data, [uniform.Latents.Rows, uniform.Latents.Columns]);
        WriteCorrelationHeatmap(uniform.Latents, uniformFeatures, suffix);
        if (_source.Factors is ShapesFactors grid) WriteTraversals(grid, noise, unmixing, suffix);   // a user's data has no grid to move along
        return report;
    }

    private void WriteCorrelationHeatmap(Matrix latents, Matrix features, string suffix)
    {
        var correlations = Metrics.Correlation.Compute(latents, features);
        var values = new double[correlations.Rows, correlations.Columns];
        for (int i = 0; i < correlations.Rows; i++)
            for (int j = 0; j < correlations.Columns; j++) values[i, j] = Math.Abs(correlations[i, j]);
        HeatmapFigure.SavePng(_folder.File($"correlations{suffix}.png"), values, _source.Factors.FactorNames,
            Enumerable.Range(0, correlations.Columns).Select(j => $"ẑ{j}").ToArray(), "|Pearson correlation|, uniform grid");
    }

    /// <summary>Figures 11–14: each true factor swept over its grid, the others at their middle value; every learned feature's response.</summary>
    private void WriteTraversals(ShapesFactors factors, LatentNoise noise, FastIcaResult? unmixing, string suffix)
    {
        var middle = factors.Sizes.Select(s => s / 2).ToArray();
        var panels = new List<Panel>();
        for (int f = 0; f < ShapesFactors.FactorCount; f++)
        {
            int count = factors.Sizes[f];
            var indices = new int[count];
            for (int v = 0; v < count; v++)
            {
                var point = (int[])middle.Clone();
                point[f] = v;
                indices[v] = factors.IndexOf(point);
            }
            var raw = new double[count * ShapesFactors.FactorCount];
            var standardised = new double[raw.Length];
            for (int v = 0; v < count; v++)
            {
                noise.RawValues(indices[v], raw.AsSpan(v * ShapesFactors.FactorCount, ShapesFactors.FactorCount));
                for (int g = 0; g < ShapesFactors.FactorCount; g++)
                    standardised[v * ShapesFactors.FactorCount + g] = factors.Standardise(g, raw[v * ShapesFactors.FactorCount + g]);
            }
            var set = new EvaluationSet(indices, new Matrix(count, ShapesFactors.FactorCount, standardised), _inputs.Of(indices, raw, standardised));
            var features = unmixing is null ? set.Features(Encoder) : unmixing.Transform(set.Features(Encoder));
            var x = Enumerable.Range(0, count).Select(v => standardised[v * ShapesFactors.FactorCount + f]).ToArray();
            panels.Add(new Panel(ShapesFactors.Names[f], $"{ShapesFactors.Names[f]} (standardised)", "learned feature",
                Enumerable.Range(0, features.Columns).Select(j => new Series($"ẑ{j}", x, features.Column(j))).ToArray()));
        }
        LinePanels.SavePng(_folder.File($"traversals{suffix}.png"), panels, panelWidth: 330, height: 300);
    }
}
