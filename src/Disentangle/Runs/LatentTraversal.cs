using Disentangle.Data.Rendering;
using Disentangle.Data;
using Disentangle.Io;
using Disentangle.Plots;
using Disentangle.Tensors;
using Disentangle.Training;

namespace Disentangle.Runs;

/// <summary>Options of <c>disentangle traversals RUN</c> (Figures 11–14).</summary>
/// <param name="Anchor">Raw values of the six factors the traversals start from (each snapped to the nearest grid value);
/// null takes the reference's anchor (floor hue 0.1, wall hue 0.6, object hue 0.9, scale 1.036, cube, orientation −21.42°).</param>
/// <param name="Ica">Apply FastICA first (null: exactly for inner-ridge-ica runs).</param>
/// <param name="Evaluation">Checkpoint, the ICA fit and the figure format, as <c>evaluate</c> uses them.</param>
public sealed record TraversalOptions(double[]? Anchor = null, bool? Ica = null, EvaluateOptions? Evaluation = null)
{
    /// <summary>The reference's anchor (<c>figures/latent_traversal/README.md</c>).</summary>
    public static readonly double[] ReferenceAnchor = [0.1, 0.6, 0.9, 1.036, 0.0, -21.42];
}

/// <summary>Latent traversals of a trained encoder (the paper's Figures 11–14): each true factor moves over its grid while
/// the others stay at an anchor; every learned feature's response is drawn, and the feature matched to the factor (the MCC
/// assignment of the run's evaluation) is named, with the images of the traversal beneath.</summary>
public static class LatentTraversal
{
    /// <summary>Writes <c>traversal-matched-{checkpoint}[-ica].png</c> (per factor: its matched feature and the others against
    /// the factor's value) and <c>traversal-images.png</c> (the traversal images, one labelled row per factor) into the run
    /// folder (.svg or .pdf with <see cref="EvaluateOptions.Format"/>). The matching is read from the run's uniform-grid
    /// evaluation of the same checkpoint (<c>eval-{checkpoint}[-ica]-uniform.json</c>, else its full-grid one).</summary>
    /// <returns>The paths written.</returns>
    /// <exception cref="InvalidDataException">The run has not been evaluated (no evaluation file to read the matching from).</exception>
    public static IReadOnlyList<string> Write(string runFolder, TraversalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var folder = new RunFolder(runFolder);
        if (folder.IsKept) return [Redraw(folder, options)];
        var evaluation = new RunEvaluation(runFolder, options.Evaluation ?? new EvaluateOptions());
        var train = evaluation.TrainOptions;
        var (data, inputs) = evaluation.Data;
        if (data is not IShapesSource source)
            throw new InvalidDataException($"Traversals move each factor over the 3D Shapes grid; the run in '{folder.Path}' was trained on "
                + $"'{train.Data}', a data file without a grid (its evaluation's correlations figure shows each feature against each factor).");
        bool ica = options.Ica ?? (train.Method == TrainMethod.InnerRidgeIca);
        var candidates = new[] { false, true }.Select(full => folder.Evaluation(RunFolder.EvaluationName(evaluation.CheckpointName, ica, "uniform", full))).ToArray();
        string evaluationFile = candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidDataException($"'{candidates[0]}' does not exist: run 'disentangle evaluate{(ica ? " --ica" : "")}"
                + $"{(evaluation.CheckpointName == "last" ? " --checkpoint last" : "")}' on the run first (the matching comes from it).");
        var assignment = JsonFiles.Read<EvaluationResult>(evaluationFile).Scores.Assignment;
        var unmixing = ica ? evaluation.FitIca() : null;
        var factors = source.Factors;
        var anchor = Snap(factors, options.Anchor ?? TraversalOptions.ReferenceAnchor);
        int d = ShapesFactors.FactorCount, columns = factors.Sizes.Max();
        var panels = new List<Panel>();
        var gallery = Enumerable.Repeat(-1, d * columns).ToArray();
        for (int f = 0; f < d; f++)
        {
            int count = factors.Sizes[f];
            var indices = new int[count];
            var raw = new double[count * d];
            var standardised = new double[count * d];
            for (int v = 0; v < count; v++)
            {
                var point = (int[])anchor.Clone();
                point[f] = v;
                indices[v] = factors.IndexOf(point);
                gallery[f * columns + v] = indices[v];
                factors.RawValues(indices[v], raw.AsSpan(v * d, d));
                factors.StandardisedValues(indices[v], standardised.AsSpan(v * d, d));
            }
            var set = new EvaluationSet(indices, new Matrix(count, d, standardised), inputs.Of(indices, raw, standardised));
            var features = unmixing is null ? set.Features(evaluation.Encoder) : unmixing.Transform(set.Features(evaluation.Encoder));
            var x = Enumerable.Range(0, count).Select(v => standardised[v * d + f]).ToArray();
            int matched = f < assignment.Length ? assignment[f] : -1;
            var lines = Enumerable.Range(0, features.Columns)
                .Select(j => new Series($"ẑ{j}", x, features.Column(j), Emphasised: j == matched)).ToArray();
            panels.Add(new Panel($"{ShapesFactors.Names[f]} → matched ẑ{matched} (thick)", $"{ShapesFactors.Names[f]} (standardised)", "learned feature", lines));
        }
        string extension = FigureFile.Extension((options.Evaluation ?? new EvaluateOptions()).Format);
        string name = RunFolder.EvaluationName(evaluation.CheckpointName, ica, "").TrimEnd('-');
        var paths = new[] { folder.File($"traversal-matched-{name}{extension}"), folder.File($"traversal-images{extension}") };
        LinePanels.Save(paths[0], panels, panelWidth: 330, height: 320);
        ShapesGallery.WriteGrid(paths[1], source, gallery, columns, zoom: 1, rowLabels: ShapesFactors.Names);
        return paths;
    }

    /// <summary>A run kept without its checkpoints (<see cref="RunFolder.IsKept"/>): its evaluation's traversal figure
    /// (<c>traversals-{name}</c>, the factors' middle values as anchor) redrawn from the numbers the evaluation recorded.</summary>
    /// <exception cref="InvalidOperationException">An anchor was asked for: that needs the encoder.</exception>
    /// <exception cref="InvalidDataException">The run's evaluation recorded no traversal numbers.</exception>
    private static string Redraw(RunFolder folder, TraversalOptions options)
    {
        const string restore = "put its checkpoint.safetensors and best.safetensors back to draw traversals from another anchor";
        if (options.Anchor is not null)
            throw new InvalidOperationException($"'{folder.Path}' is kept without its checkpoints: {restore}.");
        var evaluate = options.Evaluation ?? new EvaluateOptions();
        bool ica = options.Ica ?? (ConfigFile.Load(folder.Config, new TrainOptions()).Method == TrainMethod.InnerRidgeIca);
        string checkpoint = evaluate.Checkpoint == CheckpointChoice.Last ? "last" : "best";
        var tables = new[] { false, true }.Select(full => RunFolder.EvaluationName(checkpoint, ica, "", full).TrimEnd('-'))
            .Select(name => folder.File($"traversals-{name}.csv")).ToArray();
        string table = tables.FirstOrDefault(File.Exists) ?? throw new InvalidDataException(
            $"'{tables[0]}' does not exist: the run is kept without its checkpoints and its evaluation recorded no traversal numbers "
            + $"(runs evaluated before they were written); {restore}.");
        string path = Path.ChangeExtension(table, FigureFile.Extension(evaluate.Format));
        TraversalTable.Read(table).Draw(path);
        return path;
    }

    /// <summary>The grid indices of the factor values nearest to <paramref name="raw"/>.</summary>
    /// <exception cref="ArgumentException">Not six values.</exception>
    public static int[] Snap(ShapesFactors factors, IReadOnlyList<double> raw)
    {
        ArgumentNullException.ThrowIfNull(factors);
        if (raw.Count != ShapesFactors.FactorCount)
            throw new ArgumentException($"An anchor needs {ShapesFactors.FactorCount} factor values, got {raw.Count}.", nameof(raw));
        var result = new int[raw.Count];
        for (int f = 0; f < raw.Count; f++)
        {
            var values = factors.Values(f);
            for (int v = 1; v < values.Length; v++)
                if (Math.Abs(values[v] - raw[f]) < Math.Abs(values[result[f]] - raw[f])) result[f] = v;
        }
        return result;
    }
}
