using System.Text.Json.Nodes;
using Disentangle.Io;
using Disentangle.Metrics;
using Disentangle.Runs;
using Disentangle.Tensors;
using Disentangle.Training;

namespace Disentangle.Experiments;

/// <summary>One evaluated run of a sweep, seen as one method (an inner-ridge run gives two: with and without ICA).</summary>
/// <param name="Method">The method's name (<c>inner-lasso</c>, <c>inner-ridge</c>, <c>inner-ridge-ica</c>, …).</param>
/// <param name="Setting">The options that vary across the sweep besides method, ρ, latent noise, c and seed
/// (<c>key=value</c> joined by spaces; empty when none).</param>
/// <param name="Rho">ρ of the latent distribution.</param>
/// <param name="LatentNoise">Latent noise s.</param>
/// <param name="X">The run's value on the report's x axis.</param>
/// <param name="C">The λ ratio c (for outer-l1 and outer-l2 runs, c_out: <see cref="TrainOptions.OuterPenalty"/>).</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Steps">Training steps.</param>
/// <param name="Scores">Uniform-grid scores.</param>
/// <param name="ValidationLoss">The validation outer loss of the evaluated checkpoint (<see cref="EvaluationResult.ValidationLoss"/>:
/// for the best checkpoint, the lowest in the run's log); NaN if none.</param>
/// <param name="FeaturesPath">The learned features on the evaluation set (for UDR); they hold the same inputs for every run
/// evaluated with the same evaluation seed and sample count.</param>
/// <param name="Unmixed">For a FastICA evaluation: its unmixing and the same checkpoint's features without FastICA on the
/// same samples, from which <see cref="ReadFeatures"/> rebuilds the features of a run kept without them; null otherwise.</param>
public sealed record SweepRunResult(string Method, string Setting, double Rho, double LatentNoise, double X, double C, long Seed,
    long Steps, DisentanglementScores Scores, double ValidationLoss, string FeaturesPath, (string Unmixing, string Features)? Unmixed = null)
{
    /// <summary>Whether <see cref="ReadFeatures"/> finds the features (their file, or what rebuilds them).</summary>
    public bool HasFeatures => File.Exists(FeaturesPath) || Unmixed is { } from && File.Exists(from.Unmixing) && File.Exists(from.Features);

    /// <summary>The learned features (read on demand).</summary>
    public Matrix ReadFeatures() => File.Exists(FeaturesPath) || Unmixed is not { } from ? Read(FeaturesPath)
        : JsonFiles.Read<Ica.FastIcaUnmixing>(from.Unmixing).Transform(Read(from.Features));

    private static Matrix Read(string path)
    {
        var data = Npy.Read(path);
        if (data.Shape.Length != 2) throw new InvalidDataException($"{path}: features must be a matrix, got shape [{string.Join(", ", data.Shape)}].");
        return new Matrix(data.Shape[0], data.Shape[1], data.As<double>());
    }
}

/// <summary>Reads the evaluated runs of a sweep folder.</summary>
public static class SweepResults
{
    /// <summary>Options that never define a cell: c (the outer methods' c_out is <c>outerPenalty</c>, which no other method uses)
    /// and the seed are what a cell ranges over; out, eval settings, the thread count and the method, ρ and noise are columns of
    /// their own or no setting at all.</summary>
    private static readonly HashSet<string> NotSettings = ["lambdaRatio", "outerPenalty", "seed", "out", "method", "latents", "latentNoise",
        "version", "evalEvery", "evalSamples", "logEvery", "validationTasks", "threads"];

    /// <summary>Every evaluated run under <c>sweep/runs/</c> (its <see cref="UniformEvaluations"/>); an inner-ridge run
    /// evaluated after FastICA too also gives an inner-ridge-ica result.</summary>
    /// <param name="sweepFolder">The sweep folder.</param>
    /// <param name="axis">The report's x axis (one of <see cref="SweepReport.Axes"/>).</param>
    /// <exception cref="DirectoryNotFoundException">The sweep folder has no runs/ folder.</exception>
    /// <exception cref="ArgumentException">An unknown x axis (the message lists the valid ones).</exception>
    /// <param name="checkpoint">Which evaluation of each run: the best checkpoint's (the paper's; the last one's for a run
    /// without a best checkpoint) or the last checkpoint's.</param>
    /// <param name="fullGrid">Whether to read the full-grid evaluations (every grid image) instead of the sampled ones.</param>
    public static IReadOnlyList<SweepRunResult> Collect(string sweepFolder, string axis, CheckpointChoice checkpoint = CheckpointChoice.Best,
        bool fullGrid = false) => CollectWithSettings(sweepFolder, axis, checkpoint, fullGrid).Results;

    /// <summary><see cref="Collect"/>, and how to place a run that is not evaluated yet in its cell: the
    /// <see cref="SweepRunResult.Setting"/> it will have among the runs read (the options that vary across them, bar the
    /// axis's). One read of the runs' configs serves both.</summary>
    internal static (IReadOnlyList<SweepRunResult> Results, Func<TrainOptions, string> SettingOf) CollectWithSettings(string sweepFolder,
        string axis, CheckpointChoice checkpoint = CheckpointChoice.Best, bool fullGrid = false)
    {
        SweepReport.CheckAxis(axis);
        var found = ReadRuns(sweepFolder);
        var varying = Varying(found);
        var results = new List<SweepRunResult>();
        foreach (var (folder, options, json) in found)
        {
            double c = C(options);
            string setting = Setting(json, varying, axis);
            double rho = SweepReport.Rho(options.Latents);
            double x = SweepReport.AxisValue(options, json, axis);
            string method = json["method"]!.GetValue<string>();
            foreach (var result in UniformEvaluations(folder, checkpoint, fullGrid))
            {
                string suffix = result.Ica && options.Method != TrainMethod.InnerRidgeIca ? "-ica" : "";
                var unmixed = result.Ica ? (folder.Unmixing(result.Name),
                    folder.Features(RunFolder.EvaluationName(result.Checkpoint, false, result.Set, result.Evaluation == EvaluationResult.FullGrid))) : ((string, string)?)null;
                results.Add(new SweepRunResult(method + suffix, setting, rho, options.LatentNoise, x, c, options.Seed,
                    options.Steps, result.Scores, result.ValidationLoss ?? double.NaN, folder.Features(result.Name), unmixed));
            }
        }
        return (results, options => Setting(ConfigFile.ToJson(options), varying, axis));
    }

    /// <summary>Every run folder of the sweep with a config, its options and their JSON (λ ratio made explicit).</summary>
    private static List<(RunFolder Folder, TrainOptions Options, JsonObject Json)> ReadRuns(string sweepFolder)
    {
        var runs = Path.Combine(sweepFolder, "runs");
        if (!Directory.Exists(runs)) throw new DirectoryNotFoundException($"'{sweepFolder}' is not a sweep folder: it has no runs/ folder.");
        var found = new List<(RunFolder Folder, TrainOptions Options, JsonObject Json)>();
        foreach (var dir in Directory.GetDirectories(runs).Order(StringComparer.Ordinal))
        {
            var folder = new RunFolder(dir);
            if (!File.Exists(folder.Config)) continue;
            var options = ConfigFile.Load(folder.Config, new TrainOptions());
            var json = ConfigFile.ToJson(options);
            json["lambdaRatio"] = options.EffectiveLambdaRatio;
            found.Add((folder, options, json));
        }
        return found;
    }

    /// <summary>The options that take more than one value across <paramref name="found"/> and define a setting.</summary>
    private static string[] Varying(List<(RunFolder Folder, TrainOptions Options, JsonObject Json)> found) =>
        found.SelectMany(f => f.Json.Select(p => p.Key)).Distinct()
            .Where(key => !NotSettings.Contains(key) && found.Select(f => f.Json[key]?.ToJsonString() ?? "null").Distinct().Count() > 1)
            .Order(StringComparer.Ordinal).ToArray();

    private static string Setting(JsonObject json, string[] varying, string axis) =>
        string.Join(" ", varying.Where(k => k != SweepReport.AxisOption(axis)).Select(k => $"{k}={Text(json[k])}"));

    /// <summary>The c a run sits at in a report: its λ ratio, or c_out (<see cref="TrainOptions.OuterPenalty"/>) for an
    /// outer-l1 or outer-l2 run, whose inner ridge keeps one λ ratio.</summary>
    public static double C(TrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.PenalisesOuter ? options.OuterPenalty : options.EffectiveLambdaRatio;
    }

    /// <summary>The uniform-grid evaluations of a run that a sweep report uses: those <c>evaluate</c> writes with the sweep's
    /// defaults (sampled; <c>eval-best-uniform.json</c>, or <c>eval-last-uniform.json</c> for a run without a best
    /// checkpoint), without and then with FastICA (<c>eval-best-ica-uniform.json</c>, …). <c>train</c>'s own
    /// <c>eval-train-uniform.json</c> is not used. With <paramref name="checkpoint"/> = last, only the last checkpoint's
    /// evaluations (<c>eval-last-uniform.json</c>, …); with <paramref name="fullGrid"/>, the full-grid ones
    /// (<c>eval-best-full-grid-uniform.json</c>, …) instead of the sampled ones.</summary>
    /// <exception cref="InvalidDataException">An evaluation file is malformed.</exception>
    public static IEnumerable<EvaluationResult> UniformEvaluations(RunFolder folder, CheckpointChoice checkpoint = CheckpointChoice.Best, bool fullGrid = false)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string[] names = checkpoint == CheckpointChoice.Best ? ["best", "last"] : ["last"];
        foreach (bool ica in new[] { false, true })
        {
            var file = names.Select(c => folder.Evaluation(RunFolder.EvaluationName(c, ica, "uniform", fullGrid))).FirstOrDefault(File.Exists);
            if (file is not null) yield return JsonFiles.Read<EvaluationResult>(file);
        }
    }

    private static string Text(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue(out string? s) => s!,
        null => "null",
        _ => node.ToJsonString(),
    };
}
