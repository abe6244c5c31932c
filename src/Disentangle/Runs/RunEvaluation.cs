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
public sealed record EvaluationReport(string Run, TrainMethod Method, long Step, CheckpointChoice Checkpoint, bool Ica, int[] FeatureUsage, IReadOnlyList<EvaluationScores> Sets);

/// <summary>Evaluates a trained run: metrics on the uniform grid (and optionally the training distribution), FastICA for
/// inner-ridge-ica, <c>metrics.json</c>, the feature/factor correlation heatmap and latent traversals (Figures 11–14).</summary>
public sealed class RunEvaluation
{
    private readonly RunFolder _folder;
    private readonly TrainOptions _train;
    private readonly EvaluateOptions _options;
    private readonly IShapesSource _source;
    private readonly TrainingInputs _inputs;

    /// <summary>Opens the run in <paramref name="runFolder"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">It is not a run folder, or its files are malformed.</exception>
    public RunEvaluation(string runFolder, EvaluateOptions options, IShapesSource? source = null)
    {
        options.Validate();
        _folder = new RunFolder(runFolder);
        _folder.EnsureRun();
        _options = options;
        _train = ConfigFile.Load(_folder.Config, new TrainOptions());
        double perSample = 4.0 * _train.InputSize + 8.0 * (_train.ZDim + 12);
        MemoryBudget.Ensure(perSample * options.Samples * (options.TrainingDistribution ? 2 : 1), nameof(options.Samples), options.Samples, "the evaluation sets");
        MemoryBudget.Ensure(perSample * options.IcaSamples, nameof(options.IcaSamples), options.IcaSamples, "the FastICA fit");
        _source = source ?? ShapesSources.Open(_train.Data);
        _inputs = TrainingInputs.Create(_train, _source);
        Encoder = _inputs.CreateEncoder(_train.ZDim, new Random(0));
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

    /// <summary>The evaluated checkpoint's step.</summary>
    public long Step { get; }

    /// <summary>The checkpoint actually scored: <see cref="CheckpointChoice.Last"/> when best was asked for but the run has none.</summary>
    public CheckpointChoice Scored { get; }

    /// <summary>Why <see cref="Scored"/> differs from the choice asked for; null when it does not.</summary>
    public string? Notice { get; }

    /// <summary>Computes the report and writes <c>metrics.json</c> (<c>metrics_ica.json</c> when ICA is applied to a run
    /// trained without it), <c>features.npy</c>, <c>latents.npy</c>,
    /// <c>correlations.png</c> and <c>traversals.png</c> into the run folder.</summary>
    /// <exception cref="InvalidOperationException">Another process holds the run folder's lock.</exception>
    public EvaluationReport Run()
    {
        using var runLock = RunLock.Acquire(_folder.Path);
        AtomicFile.RemoveStale(_folder.Path);
        var root = new SeededRandom(_options.Seed);
        var noise = new LatentNoise(_source.Factors, _train.LatentNoise, 0);
        bool ica = _options.Ica ?? _train.Method == TrainMethod.InnerRidgeIca;
        var training = LatentDistributions.Parse(_train.Latents, _source.Factors);
        FastIcaResult? unmixing = null;
        if (ica)
        {
            var fitSet = EvaluationSet.Draw(training, noise, _inputs, _options.IcaSamples, root.Fork(1));
            unmixing = new FastIca(new FastIcaOptions()).Fit(fitSet.Features(Encoder), root.Fork(2));
        }
        Matrix Features(EvaluationSet set) => unmixing is null ? set.Features(Encoder) : unmixing.Transform(set.Features(Encoder));

        int[] usage = File.Exists(_folder.File("usage.json")) ? JsonFiles.Read<int[]>(_folder.File("usage.json")) : [];
        var sets = new List<EvaluationScores>();
        var uniform = EvaluationSet.Draw(new UniformLatents(_source.Factors), noise, _inputs, _options.Samples, root.Fork(3));
        var uniformFeatures = Features(uniform);
        sets.Add(new("uniform", _options.Samples, DisentanglementScores.Compute(uniform.Latents, uniformFeatures, usage.Length > 0 ? usage : null)));
        if (_options.TrainingDistribution)
        {
            var inDistribution = EvaluationSet.Draw(training, noise, _inputs, _options.Samples, root.Fork(4));
            sets.Add(new(training.Name, _options.Samples, DisentanglementScores.Compute(inDistribution.Latents, Features(inDistribution), usage.Length > 0 ? usage : null)));
        }
        var report = new EvaluationReport(_folder.Path, _train.Method, Step, Scored, ica, usage, sets);
        // An ICA evaluation of a run trained without it (inner-ridge + ICA from an inner-ridge run) keeps its own file.
        JsonFiles.Write(ica && _train.Method != TrainMethod.InnerRidgeIca ? _folder.File("metrics_ica.json") : _folder.Metrics, report);
        Npy.Write(_folder.Features, uniformFeatures.Data, [uniformFeatures.Rows, uniformFeatures.Columns]);
        Npy.Write(_folder.Latents, uniform.Latents.Data, [uniform.Latents.Rows, uniform.Latents.Columns]);
        WriteCorrelationHeatmap(uniform.Latents, uniformFeatures);
        WriteTraversals(noise, unmixing);
        return report;
    }

    private void WriteCorrelationHeatmap(Matrix latents, Matrix features)
    {
        var correlations = Metrics.Correlation.Compute(latents, features);
        var values = new double[correlations.Rows, correlations.Columns];
        for (int i = 0; i < correlations.Rows; i++)
            for (int j = 0; j < correlations.Columns; j++) values[i, j] = Math.Abs(correlations[i, j]);
        HeatmapFigure.SavePng(_folder.File("correlations.png"), values, ShapesFactors.Names,
            Enumerable.Range(0, correlations.Columns).Select(j => $"ẑ{j}").ToArray(), "|Pearson correlation|, uniform grid");
    }

    /// <summary>Figures 11–14: each true factor swept over its grid, the others at their middle value; every learned feature's response.</summary>
    private void WriteTraversals(LatentNoise noise, FastIcaResult? unmixing)
    {
        var factors = _source.Factors;
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
        LinePanels.SavePng(_folder.File("traversals.png"), panels, panelWidth: 330, height: 300);
    }
}
