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
/// (Figures 11–14). Every file is named by the checkpoint and the set (docs/run-folder.md).</summary>
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
        _source = source ?? ShapesSources.Open(_train.Data);
        _inputs = TrainingInputs.Create(_train, _source);
        Encoder = _inputs.CreateEncoder(_train.ZDim, new Random(0));
        bool best = options.Checkpoint == CheckpointChoice.Best && File.Exists(_folder.Best);
        var path = best ? _folder.Best : _folder.Checkpoint;
        CheckpointName = best ? "best" : "last";
        var state = Checkpoint.Load(path);
        Checkpoint.CopyInto(state.Parameters, Encoder.NamedParameters().Select(p => (p.Name, p.Parameter)), "parameters");
        Checkpoint.CopyInto(state.Buffers, Encoder.NamedBuffers().Select(b => (b.Name, b.Buffer)), "buffers");
        Step = state.Step;
    }

    /// <summary>The trained encoder.</summary>
    public Module Encoder { get; }

    /// <summary>The evaluated checkpoint's step.</summary>
    public long Step { get; }

    /// <summary><c>best</c> or <c>last</c>: the checkpoint actually evaluated (<c>last</c> when the run has no best one).</summary>
    public string CheckpointName { get; }

    /// <summary>Computes the scores on each evaluation set and writes, for each, <c>eval-{name}.json</c>,
    /// <c>features-{name}.npy</c> and <c>latents-{name}.npy</c> with name <c>{checkpoint}[-ica]-{set}</c>, and
    /// <c>correlations-{checkpoint}[-ica].png</c> and <c>traversals-{checkpoint}[-ica].png</c> (or .svg, .pdf: <see cref="EvaluateOptions.Format"/>).</summary>
    /// <returns>One result per set: the uniform grid first, then the training distribution if asked for.</returns>
    public IReadOnlyList<EvaluationResult> Run()
    {
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

        int[] usage = File.Exists(_folder.Usage) ? JsonFiles.Read<int[]>(_folder.Usage) : [];
        var results = new List<EvaluationResult>();
        EvaluationResult Score(string name, EvaluationSet set, Matrix features)
        {
            var result = new EvaluationResult(_folder.Path, _train.Method, Step, CheckpointName, ica, name, set.GridIndices.Length, usage,
                DisentanglementScores.Compute(set.Latents, features, usage.Length > 0 ? usage : null));
            JsonFiles.Write(_folder.Evaluation(result.Name), result);
            Npy.Write(_folder.Features(result.Name), features.Data, [features.Rows, features.Columns]);
            Npy.Write(_folder.Latents(result.Name), set.Latents.Data, [set.Latents.Rows, set.Latents.Columns]);
            return result;
        }
        var uniform = EvaluationSet.Draw(new UniformLatents(_source.Factors), noise, _inputs, _options.Samples, root.Fork(3));
        var uniformFeatures = Features(uniform);
        results.Add(Score("uniform", uniform, uniformFeatures));
        if (_options.TrainingDistribution)
        {
            var inDistribution = EvaluationSet.Draw(training, noise, _inputs, _options.Samples, root.Fork(4));
            results.Add(Score(training.Name, inDistribution, Features(inDistribution)));
        }
        string figures = CheckpointName + (ica ? "-ica" : "") + FigureFile.Extension(_options.Format);
        WriteCorrelationHeatmap(uniform.Latents, uniformFeatures, $"correlations-{figures}");
        WriteTraversals(noise, unmixing, results[0].Scores.Assignment, $"traversals-{figures}");
        return results;
    }

    private void WriteCorrelationHeatmap(Matrix latents, Matrix features, string fileName)
    {
        var correlations = Metrics.Correlation.Compute(latents, features);
        var values = new double[correlations.Rows, correlations.Columns];
        for (int i = 0; i < correlations.Rows; i++)
            for (int j = 0; j < correlations.Columns; j++) values[i, j] = Math.Abs(correlations[i, j]);
        HeatmapFigure.Save(_folder.File(fileName), values, ShapesFactors.Names,
            Enumerable.Range(0, correlations.Columns).Select(j => $"ẑ{j}").ToArray(), "|Pearson correlation|, uniform grid");
    }

    /// <summary>Figures 11–14: each true factor swept over its grid, the others at their middle value; every learned feature's
    /// response, the feature that MCC matched to the factor drawn thick and named in the panel title.</summary>
    private void WriteTraversals(LatentNoise noise, FastIcaResult? unmixing, int[] assignment, string fileName)
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
            panels.Add(new Panel($"{ShapesFactors.Names[f]} → matched ẑ{assignment[f]}", $"{ShapesFactors.Names[f]} (standardised)", "learned feature",
                Enumerable.Range(0, features.Columns).Select(j => new Series($"ẑ{j}", x, features.Column(j), Emphasised: j == assignment[f])).ToArray()));
        }
        LinePanels.Save(_folder.File(fileName), panels, panelWidth: 330, height: 300,
            caption: "each learned feature as one factor moves (the others at their middle value); thick: the feature matched to that factor");
    }
}
