using Disentangle.FewShot;
using Disentangle.Io;
using Disentangle.Plots;

namespace Disentangle.Experiments;

/// <summary>Figure 5 of the paper from meta-test results: accuracy vs λ₁/λ₁max, and sorted per-feature usage frequency.</summary>
public static class MetaLearningReport
{
    /// <summary>Reads every meta-test result (<c>test-*.json</c>) of the run folders under <paramref name="folder"/> (and of
    /// <paramref name="folder"/> itself), ordered by benchmark, K and λ₁/λ₁max.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">A result file is malformed (the message names it).</exception>
    public static IReadOnlyList<MetaTestResult> Collect(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"'{folder}' does not exist.");
        var files = Directory.GetFiles(folder, "test-*.json")
            .Concat(Directory.GetDirectories(folder).SelectMany(run => Directory.GetFiles(run, "test-*.json")));
        return files.Select(f => JsonFiles.Read<MetaTestResult>(f))
            .OrderBy(r => r.Dataset, StringComparer.Ordinal).ThenBy(r => r.Shots).ThenBy(r => r.LambdaRatio).ToArray();
    }

    /// <summary>Writes <c>figure5.csv</c> (one row per result: accuracy ± 95% CI and features used) and <c>figure5.png</c>
    /// (<see cref="SaveFigure5"/>) into <paramref name="folder"/>; returns their paths.</summary>
    /// <exception cref="ArgumentException">No results.</exception>
    public static IReadOnlyList<string> Write(string folder, IReadOnlyList<MetaTestResult> results, FigureFormat format = FigureFormat.Png)
    {
        string csv = Path.Combine(folder, "figure5.csv"), png = Path.Combine(folder, "figure5" + FigureFile.Extension(format));
        SaveFigure5(png, results);
        var text = new System.Text.StringBuilder("dataset,ways,shots,head_solver,lambda_ratio,episodes,accuracy,ci95,feature_fraction\n");
        foreach (var r in results)
            text.AppendJoin(',', new object?[] { r.Dataset, r.Ways, r.Shots, JsonFiles.Name(r.HeadSolver), r.LambdaRatio, r.Episodes, r.MeanAccuracy, r.ConfidenceInterval95, r.MeanFeatureFraction }
                .Select(CsvWriter.Format)).Append('\n');
        AtomicFile.WriteText(csv, text.ToString());
        return [csv, png];
    }

    /// <summary>Writes Figure 5 to <paramref name="path"/> (PNG, SVG or PDF by its extension).</summary>
    /// <remarks>Left panel: mean test accuracy (± 95% CI) against λ₁/λ₁max, one line per benchmark and K. Second panel (the
    /// paper's right panel): accuracy against the average fraction of features used, one line per benchmark, K and head
    /// solver. Then one panel
    /// per benchmark: for its largest K, each feature's usage frequency across test episodes sorted in decreasing order,
    /// one line per λ₁/λ₁max.</remarks>
    /// <exception cref="ArgumentException">No results.</exception>
    public static void SaveFigure5(string path, IReadOnlyList<MetaTestResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0) throw new ArgumentException("Figure 5 needs at least one meta-test result.", nameof(results));
        static string Label((string Dataset, int Ways, int Shots, SvmHeadSolver Head) key) =>
            $"{key.Dataset} {key.Ways}-way {key.Shots}-shot" + (key.Head == SvmHeadSolver.ExactDual ? "" : " (released head)");
        var byCurve = results.GroupBy(r => (r.Dataset, r.Ways, r.Shots, Head: r.HeadSolver))
            .OrderBy(g => g.Key.Dataset, StringComparer.Ordinal).ThenBy(g => g.Key.Shots).ThenBy(g => g.Key.Head).ToArray();
        var accuracy = byCurve.Select(g =>
        {
            var sorted = g.OrderBy(r => r.LambdaRatio).ToArray();
            return new Series(Label(g.Key), [.. sorted.Select(r => r.LambdaRatio)],
                [.. sorted.Select(r => 100 * r.MeanAccuracy)], [.. sorted.Select(r => 100 * r.ConfidenceInterval95)]);
        }).ToList();
        var tradeOff = byCurve.Select(g =>
        {
            var sorted = g.OrderBy(r => r.MeanFeatureFraction).ToArray();
            return new Series(Label(g.Key), [.. sorted.Select(r => 100 * r.MeanFeatureFraction)],
                [.. sorted.Select(r => 100 * r.MeanAccuracy)], [.. sorted.Select(r => 100 * r.ConfidenceInterval95)]);
        }).ToList();
        var panels = new List<Panel>
        {
            new("Test accuracy", "λ₁ / λ₁max", "accuracy (%)", accuracy),
            new("Accuracy against sparsity", "average features used (%)", "accuracy (%)", tradeOff),
        };
        foreach (var dataset in results.GroupBy(r => r.Dataset).OrderBy(g => g.Key))
        {
            int shots = dataset.Max(r => r.Shots);
            var lines = dataset.Where(r => r.Shots == shots).OrderBy(r => r.LambdaRatio).Select(r =>
            {
                var usage = r.FeatureUsage.OrderDescending().ToArray();
                return new Series($"λ₁/λ₁max = {r.LambdaRatio:0.###}", [.. Enumerable.Range(0, usage.Length).Select(i => (double)i)], usage);
            }).ToList();
            panels.Add(new Panel($"Feature usage, {dataset.Key} {shots}-shot", "feature (sorted)", "fraction of tasks using it", lines));
        }
        LinePanels.Save(path, panels, caption: "accuracy: mean ± 95% confidence interval over test episodes");
    }
}
