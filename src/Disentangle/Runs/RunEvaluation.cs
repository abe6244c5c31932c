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

/// <summary>Evaluates a trained run: metrics on the uniform grid (and optionally the training distribution), FastICA for
/// inner-ridge-ica, one <c>eval-*.json</c> per evaluation set, the feature/factor correlation heatmap and latent traversals
/// (Figures 11–14). Every file is named by the checkpoint scored, the ICA, the evaluation and the set (docs/run-folder.md),
/// so no evaluation overwrites another's.</summary>
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
        _source = source ?? OpenData(_folder, _train);
        int zDim = _train.ZDim ?? _source.Factors.Dimension;
        double perSample = 4.0 * _train.InputSizeFor(_source.Shape) + 8.0 * (zDim + 12);
        MemoryBudget.Ensure(perSample * options.Samples * (options.TrainingDistribution ? 2 : 1), nameof(options.Samples), options.Samples, "the evaluation sets");
        MemoryBudget.Ensure(perSample * options.IcaSamples, nameof(options.IcaSamples), options.IcaSamples, "the FastICA fit");
        _inputs = TrainingInputs.Create(_train, _source);
        Encoder = _inputs.CreateEncoder(zDim, new Random(0));
        Scored = ScoredChoice(options.Checkpoint, File.Exists(_folder.Best));
        if (Scored != options.Checkpoint)
            Notice = $"{_folder.Best} does not exist (no evaluation improved the validation loss, or the run stopped before its first one); scoring the last checkpoint instead";
        var state = Checkpoint.Load(CheckpointPath(_folder, Scored));
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

    /// <summary>Grid points the evaluation encodes (the scale of <see cref="Run"/>'s progress): with the full grid, each
    /// point once.</summary>
    public int PlannedSamples => _options.FullGrid ? SetSize
        : SetSize * (_options.TrainingDistribution ? 2 : 1) + (IcaApplied ? _options.EffectiveIcaSamples : 0);

    private int SetSize => _options.FullGrid ? _source.Factors.Count : _options.Samples;

    private bool IcaApplied => IcaFor(_options, _train);

    /// <summary>Whether an evaluation with <paramref name="options"/> applies FastICA: as asked, else for inner-ridge-ica runs.</summary>
    private static bool IcaFor(EvaluateOptions options, TrainOptions train) => options.Ica ?? train.Method == TrainMethod.InnerRidgeIca;

    /// <summary>The name of the checkpoint scored, as the files and <see cref="EvaluationResult.Checkpoint"/> spell it.</summary>
    public string CheckpointName => NameOf(Scored);

    private static string NameOf(CheckpointChoice choice) => choice == CheckpointChoice.Best ? "best" : "last";

    /// <summary>Opens the data source a run was trained on, after checking that it is the data the run recorded (one open
    /// can serve several evaluations of the run: pass it to the constructor).</summary>
    /// <exception cref="InvalidDataException">The folder is not a run folder, or its data differs from the run's record.</exception>
    public static IImageDataset OpenData(string runFolder)
    {
        var folder = new RunFolder(runFolder);
        folder.EnsureRun();
        return OpenData(folder, ConfigFile.Load(folder.Config, new TrainOptions()));
    }

    private static IImageDataset OpenData(RunFolder folder, TrainOptions train)
    {
        var source = DataSources.Open(train.Data);
        DataRecord.EnsureSame(folder, DataRecord.Of(train.Data));
        return source;
    }

    /// <summary>The uniform-grid result already in <paramref name="runFolder"/> for exactly this evaluation (same checkpoint
    /// step, set size, FastICA samples and kind), or null. It reads only the run's config, the checkpoint's step and the
    /// result file (no data is opened, no encoder built), so a restarted sweep checks its finished runs cheaply instead of
    /// scoring them again. In a folder kept without its checkpoints (<see cref="RunFolder.IsKept"/>) the result file is
    /// taken as it is, wherever the folder was moved: there is no checkpoint to compare it with, and nothing could score
    /// it again.</summary>
    public static EvaluationResult? Recorded(string runFolder, EvaluateOptions options)
    {
        var folder = new RunFolder(runFolder);
        bool kept = folder.IsKept;
        if (options.TrainingDistribution || !(folder.HoldsRun || kept)) return null;
        var train = ConfigFile.Load(folder.Config, new TrainOptions());
        bool ica = IcaFor(options, train);
        string PathOf(CheckpointChoice choice) => folder.Evaluation(RunFolder.EvaluationName(NameOf(choice), ica, "uniform", options.FullGrid));
        // A kept folder has no best.safetensors to ask about: its best checkpoint's evaluation tells whether it had one.
        var scored = ScoredChoice(options.Checkpoint, File.Exists(kept ? PathOf(CheckpointChoice.Best) : folder.Best));
        var path = PathOf(scored);
        if (!File.Exists(path)) return null;
        try
        {
            var result = JsonFiles.Read<EvaluationResult>(path);
            // The full grid's size is the data's, which the run folder's data record fixes.
            bool same = (options.FullGrid || result.Samples == options.Samples) && result.IcaSamples == (ica ? options.EffectiveIcaSamples : null)
                && result.Evaluation == (options.FullGrid ? EvaluationResult.FullGrid : EvaluationResult.Sampled)
                && (kept || (result.Step == Checkpoint.Load(CheckpointPath(folder, scored)).Step && result.Run == folder.Path
                    && File.Exists(folder.Features(result.Name)) && File.Exists(folder.Latents(result.Name))));
            return same ? result : null;
        }
        catch (InvalidDataException) { return null; }
    }

    /// <summary>The checkpoint scored: the last when best is asked for but the run has none.</summary>
    private static CheckpointChoice ScoredChoice(CheckpointChoice asked, bool hasBest) =>
        asked == CheckpointChoice.Best && !hasBest ? CheckpointChoice.Last : asked;

    private static string CheckpointPath(RunFolder folder, CheckpointChoice choice) => choice == CheckpointChoice.Best ? folder.Best : folder.Checkpoint;

    /// <summary>Computes the scores on each evaluation set and writes, for each, <c>eval-{name}.json</c> (an
    /// <see cref="EvaluationResult"/>), <c>features-{name}.npy</c> and <c>latents-{name}.npy</c> with name
    /// <c>{checkpoint}[-ica][-full-grid]-{set}</c>, and <c>correlations-{checkpoint}[-ica][-full-grid].png</c> and
    /// <c>traversals-{checkpoint}[-ica][-full-grid].png</c> (or .svg, .pdf: <see cref="EvaluateOptions.Format"/>).</summary>
    /// <param name="progress">Receives the number of grid points encoded so far (out of <see cref="PlannedSamples"/>).</param>
    /// <returns>One result per set: the uniform grid first, then the training distribution if asked for.</returns>
    /// <exception cref="InvalidOperationException">Another process holds the run folder's lock.</exception>
    public IReadOnlyList<EvaluationResult> Run(IProgress<int>? progress = null)
    {
        using var runLock = RunLock.Acquire(_folder.Path);
        AtomicFile.RemoveStale(_folder.Path);
        var root = new SeededRandom(_options.Seed);
        var noise = new LatentNoise(_source.Factors, _train.LatentNoise, 0);
        bool ica = IcaApplied;
        var training = LatentDistributions.Parse(_train.Latents, _source.Factors);
        int done = 0;
        (Matrix Latents, Matrix Features)? encodedGrid = null;   // with the full grid: every grid point's, encoded once
        (Matrix Latents, Matrix Features) Encode(int[] indices)
        {
            if (encodedGrid is { } all) return (all.Latents.RowsAt(indices), all.Features.RowsAt(indices));
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
        // The full grid is every grid point once, in index order (the reference's evaluation); otherwise uniform draws.
        // A point's latents and features depend on its index alone, so the full grid's serve every later set by look-up:
        // FastICA's 1,000,000 training-distribution samples are not encoded again.
        var uniformIndices = _options.FullGrid ? Enumerable.Range(0, _source.Factors.Count).ToArray()
                                               : Draw(new UniformLatents(_source.Factors), _options.Samples, root.Fork(3));
        var uniform = Encode(uniformIndices);
        if (_options.FullGrid) encodedGrid = uniform;
        FastIcaResult? unmixing = null;
        if (ica)
            unmixing = new FastIca(new FastIcaOptions()).Fit(Encode(Draw(training, _options.EffectiveIcaSamples, root.Fork(1))).Features, root.Fork(2));
        Matrix Unmixed(Matrix features) => unmixing is null ? features : unmixing.Transform(features);

        int[] usage = File.Exists(_folder.Usage) ? JsonFiles.Read<int[]>(_folder.Usage) : [];
        string evaluation = _options.FullGrid ? EvaluationResult.FullGrid : EvaluationResult.Sampled;
        double? validation = _folder.ValidationLossAt(Step);
        var results = new List<EvaluationResult>();
        EvaluationResult Score(string set, Matrix latents, Matrix features)
        {
            var result = new EvaluationResult(_folder.Path, _train.Method, Step, CheckpointName, ica, set, latents.Rows, usage,
                DisentanglementScores.Compute(latents, features, usage.Length > 0 ? usage : null), evaluation,
                ica ? _options.EffectiveIcaSamples : null, validation, Notice);
            Npy.Write(_folder.Features(result.Name), features.Data, [features.Rows, features.Columns]);
            Npy.Write(_folder.Latents(result.Name), latents.Data, [latents.Rows, latents.Columns]);
            if (unmixing is not null) JsonFiles.Write(_folder.Unmixing(result.Name), FastIcaUnmixing.Of(unmixing));
            JsonFiles.Write(_folder.Evaluation(result.Name), result);   // last: a result file means its arrays are complete
            return result;
        }
        var uniformFeatures = Unmixed(uniform.Features);
        results.Add(Score("uniform", uniform.Latents, uniformFeatures));
        if (_options.TrainingDistribution)
        {
            var inDistribution = Encode(Draw(training, SetSize, root.Fork(4)));
            results.Add(Score(training.Name, inDistribution.Latents, Unmixed(inDistribution.Features)));
        }
        string figures = RunFolder.EvaluationName(CheckpointName, ica, "", _options.FullGrid).TrimEnd('-') + FigureFile.Extension(_options.Format);
        WriteCorrelationHeatmap(uniform.Latents, uniformFeatures, $"correlations-{figures}");
        if (_source.Factors is ShapesFactors grid)   // a user's data has no grid to move along
            WriteTraversals(grid, noise, unmixing, results[0].Scores.Assignment, $"traversals-{figures}");
        return results;
    }

    private void WriteCorrelationHeatmap(Matrix latents, Matrix features, string fileName)
    {
        var correlations = Metrics.Correlation.Compute(latents, features);
        var values = new double[correlations.Rows, correlations.Columns];
        for (int i = 0; i < correlations.Rows; i++)
            for (int j = 0; j < correlations.Columns; j++) values[i, j] = Math.Abs(correlations[i, j]);
        HeatmapFigure.Save(_folder.File(fileName), values, _source.Factors.FactorNames,
            Enumerable.Range(0, correlations.Columns).Select(j => $"ẑ{j}").ToArray(), "|Pearson correlation|, uniform grid");
    }

    /// <summary>Figures 11–14: each true factor swept over its grid, the others at their middle value; every learned feature's
    /// response, the feature that MCC matched to the factor drawn thick and named in the panel title.</summary>
    private void WriteTraversals(ShapesFactors factors, LatentNoise noise, FastIcaResult? unmixing, int[] assignment, string fileName)
    {
        var middle = factors.Sizes.Select(s => s / 2).ToArray();
        var traversals = new List<TraversalTable.Factor>();
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
            traversals.Add(new TraversalTable.Factor(ShapesFactors.Names[f], assignment[f], x, features));
        }
        var table = new TraversalTable(traversals);
        table.Write(_folder.File(Path.ChangeExtension(fileName, ".csv")));   // to redraw the figure once the checkpoints are gone
        table.Draw(_folder.File(fileName));
    }
}
