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
/// <param name="Ica">Apply FastICA first (null: exactly for inner-ridge-ica runs, or with an inner-ridge run's metrics_ica.json).</param>
/// <param name="Evaluation">Checkpoint and the ICA fit, as <c>evaluate</c> uses them.</param>
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
    /// <summary>Writes <c>traversal_matched.png</c> (per factor: its matched feature and the others against the factor's
    /// value) and <c>traversal_images.png</c> (the traversal images, one row per factor) into the run folder.</summary>
    /// <returns>The paths written.</returns>
    /// <exception cref="InvalidDataException">The run has not been evaluated (no metrics file to read the matching from).</exception>
    public static IReadOnlyList<string> Write(string runFolder, TraversalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var evaluation = new RunEvaluation(runFolder, options.Evaluation ?? new EvaluateOptions());
        var folder = new RunFolder(runFolder);
        var train = evaluation.TrainOptions;
        var (data, inputs) = evaluation.Data;
        if (data is not IShapesSource source)
            throw new InvalidDataException($"Traversals move each factor over the 3D Shapes grid; the run in '{folder.Path}' was trained on "
                + $"'{train.Data}', a data file without a grid (its evaluation's correlations figure shows each feature against each factor).");
        bool ica = options.Ica ?? (train.Method == TrainMethod.InnerRidgeIca);
        string metricsFile = ica && train.Method != TrainMethod.InnerRidgeIca ? folder.File("metrics_ica.json") : folder.Metrics;
        if (!File.Exists(metricsFile))
            throw new InvalidDataException($"'{metricsFile}' does not exist: run 'disentangle evaluate{(ica ? " --ica" : "")}' on the run first (the matching comes from it).");
        var assignment = JsonFiles.Read<EvaluationReport>(metricsFile).Sets[0].Scores.Assignment;
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
            var lines = Enumerable.Range(0, features.Columns).OrderBy(j => j == matched ? 0 : 1)
                .Select(j => new Series(j == matched ? $"ẑ{j} (matched)" : $"ẑ{j}", x, features.Column(j))).ToArray();
            panels.Add(new Panel($"{ShapesFactors.Names[f]} → ẑ{matched}", $"{ShapesFactors.Names[f]} (standardised)", "learned feature", lines));
        }
        string suffix = ica && train.Method != TrainMethod.InnerRidgeIca ? "_ica" : "";
        var paths = new[] { folder.File($"traversal_matched{suffix}.png"), folder.File("traversal_images.png") };
        LinePanels.SavePng(paths[0], panels, panelWidth: 330, height: 320);
        ShapesGallery.WriteGrid(paths[1], source, gallery, columns, zoom: 1);
        return paths;
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
