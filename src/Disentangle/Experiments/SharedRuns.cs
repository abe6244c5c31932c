using System.Text.Json.Nodes;
using Disentangle.Io;
using Disentangle.Runs;
using Disentangle.Tensors;
using Disentangle.Training;

namespace Disentangle.Experiments;

/// <summary>Sweeps under one root share their runs: a run whose options, its folder aside, equal those of a run another
/// sweep has finished takes that run's training (checkpoints, log, usage, training evaluation) instead of training again,
/// and is then evaluated in its own folder as usual. Runs that train alike though their method differs share too: an inner
/// Lasso with c = 0 (least squares, solved as Ridge with λ = 0) and inner-ridge with c = 0, or inner-ridge-ica and
/// inner-ridge.</summary>
/// <remarks>Training is deterministic for its options (seed and thread count included), so the copied checkpoints are
/// those the run would have trained; a run whose options differ in anything, the number of steps or the version included,
/// trains. Figure 4's latent-noise grid at noise 1 repeats the ρ = 0.9 runs of the correlation grid this way. The copied
/// run's <c>outcome.json</c> names the run it came from.</remarks>
internal static class SharedRuns
{
    /// <summary>A finished run in <c>ROOT/*/runs/*</c> other than <paramref name="options"/>' own folder whose config
    /// equals <paramref name="options"/> but for its folder; null when there is none. Options that training resolves
    /// itself are compared as it records them: the thread count (this process's when not set) and z (the data's factor
    /// count when not set). Of several such runs, one with its checkpoints comes first (any evaluation can be scored from
    /// it), then one of <paramref name="options"/>' method: a run kept without its checkpoints holds only the evaluations
    /// its own method was scored with (an inner Lasso with c = 0 has none with FastICA).</summary>
    public static string? FindTwin(string root, TrainOptions options) =>
        Twins(root, options).OrderBy(twin => Preference(twin, options.Method)).FirstOrDefault();   // a stable order: ties by path

    private static IEnumerable<string> Twins(string root, TrainOptions options)
    {
        if (!Directory.Exists(root)) yield break;
        options = options with { Threads = options.Threads ?? Parallelism.MaxThreads };   // what training records
        bool zFromData = options.ZDim is null;   // training records the data's factor count; the data are compared
        string wanted = Comparable(ConfigFile.ToSavedJson(options), zFromData), own = Path.GetFullPath(options.Out);
        foreach (var sweep in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var runs = Path.Combine(sweep, "runs");
            if (!Directory.Exists(runs)) continue;
            foreach (var run in Directory.EnumerateDirectories(runs).Order(StringComparer.Ordinal))
            {
                var folder = new RunFolder(run);
                if (folder.Path == own || !File.Exists(folder.Config)) continue;
                bool twin;
                try
                {
                    twin = Comparable(JsonFiles.ReadObject(folder.Config), zFromData) == wanted && SweepRunner.IsDone(options with { Out = folder.Path });
                }
                catch (Exception e) when (e is InvalidDataException or IOException) { continue; }   // unreadable or half-written: not a twin
                if (twin) yield return folder.Path;
            }
        }
    }

    /// <summary>How well <paramref name="twin"/> serves a run of <paramref name="method"/>, best first: with its checkpoints
    /// before without, then its own method before another that trains alike.</summary>
    private static int Preference(string twin, TrainMethod method)
    {
        var folder = new RunFolder(twin);
        return (folder.IsKept ? 2 : 0) + (ConfigFile.Load(folder.Config, new TrainOptions()).Method == method ? 0 : 1);
    }

    /// <summary>Copies <paramref name="twin"/>'s training into <paramref name="folder"/>; its config is written last, so the
    /// folder holds a run only once every file is there (an interrupted copy is redone). A twin kept without its checkpoints
    /// (<see cref="RunFolder.IsKept"/>) gives its evaluations instead, and the copy is kept the same way.</summary>
    public static void CopyTraining(string twin, RunFolder folder, TrainOptions options)
    {
        var source = new RunFolder(twin);
        string train = RunFolder.EvaluationName("train", false, "uniform");
        bool kept = source.IsKept;
        var copied = kept
            ? Directory.EnumerateFiles(source.Path).Select(Path.GetFileName).Where(name => name!.StartsWith("features-", StringComparison.Ordinal)
                || name.StartsWith("latents-", StringComparison.Ordinal) || name.StartsWith("unmixing-", StringComparison.Ordinal)).Select(name => name!)
            : [Path.GetFileName(source.Features(train)), Path.GetFileName(source.Latents(train))];
        var evaluations = kept
            ? Directory.EnumerateFiles(source.Path, "eval-*.json").Select(Path.GetFileName).Select(name => name!)
            : [Path.GetFileName(source.TrainEvaluation)];
        folder.Create();
        foreach (var name in new[] { source.Checkpoint, source.Best, source.Log, source.Usage, source.Data, source.Machine }.Select(Path.GetFileName).Concat(copied))
        {
            string from = source.File(name!);
            if (!File.Exists(from)) continue;
            AtomicFile.Write(folder.File(name!), stream =>
            {
                using var input = File.OpenRead(from);
                input.CopyTo(stream);
            });
        }
        foreach (var name in evaluations.Order(StringComparer.Ordinal))
        {
            var evaluation = JsonFiles.Read<EvaluationResult>(source.File(name));
            if (name == Path.GetFileName(source.TrainEvaluation) || Owns(options.Method, evaluation))
                JsonFiles.Write(folder.File(name), evaluation with { Run = folder.Path, Method = options.Method });
        }
        // The twin's config as its training wrote it (the thread count and the data's z_dim filled in), under this run's
        // method, penalty and folder: a report then puts the two runs in the same setting.
        var trained = ConfigFile.Load(source.Config, new TrainOptions());
        ConfigFile.Save(folder.Config, trained with { Method = options.Method, LambdaRatio = options.LambdaRatio, Out = options.Out });
    }

    /// <summary>The note a shared run's outcome carries.</summary>
    public static string Note(string twin, string folder) => $"training shared with {Path.GetRelativePath(folder, twin)} (it trains exactly alike)";

    private static string Comparable(JsonObject config, bool zFromData)
    {
        var options = ConfigFile.Merge(new TrainOptions(), config, "config");
        var trained = ConfigFile.ToJson(options with { Method = TrainsAs(options), LambdaRatio = options.EffectiveLambdaRatio });
        config["method"] = trained["method"]!.DeepClone();
        config["lambdaRatio"] = trained["lambdaRatio"]!.DeepClone();
        config.Remove("out");
        if (zFromData) config.Remove("zDim");
        return config.ToJsonString();
    }

    /// <summary>The method a run trains as: an inner Lasso with c = 0 is least squares, solved as Ridge with λ = 0, and
    /// inner-ridge-ica trains as inner-ridge (FastICA comes after training), so such runs train alike.</summary>
    private static TrainMethod TrainsAs(TrainOptions options) =>
        options.Method == TrainMethod.InnerRidgeIca || (options.Method == TrainMethod.InnerLasso && !options.SparseInner) ? TrainMethod.InnerRidge : options.Method;

    /// <summary>Whether a run of <paramref name="method"/> has <paramref name="evaluation"/> among its own: inner-ridge is scored
    /// with and without FastICA, inner-ridge-ica only with, every other method only without.</summary>
    private static bool Owns(TrainMethod method, EvaluationResult evaluation) =>
        method == TrainMethod.InnerRidge || evaluation.Ica == (method == TrainMethod.InnerRidgeIca);
}
