using System.CommandLine;
using Disentangle.Experiments;
using Disentangle.Plots;

namespace Disentangle.Cli.Commands;

/// <summary><c>disentangle report FOLDER</c>: the paper's figure from result files: Figures 4, 6, 8–10 from a sweep folder,
/// Figure 5 from a folder of meta-trained and meta-tested runs.</summary>
public static class ReportCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("report", "Draw the paper's figure from results: for a sweep folder (runs/NAME), MCC and R against ρ (or another "
            + "option) in report.csv/json/png; for a folder of meta-test runs, Figure 5 (accuracy vs λ₁/λ₁max, sorted feature usage) in figure5.csv/png.");
        var folderArgument = new Argument<DirectoryInfo>("folder") { Description = "a sweep folder (runs/NAME), or a folder of meta-train runs with test-*.json" };
        var axis = new Option<string>("--x") { Description = $"x axis of a sweep report: {string.Join(" | ", SweepReport.Axes)}", DefaultValueFactory = _ => "rho" };
        axis.AcceptOnlyFromAmong(SweepReport.Axes);
        command.Arguments.Add(folderArgument);
        command.Options.Add(axis);
        var format = new Option<FigureFormat>("--format") { Description = "figure format: png | svg | pdf", DefaultValueFactory = _ => FigureFormat.Png };
        command.Options.Add(format);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            string folder = result.GetValue(folderArgument)!.FullName;
            return Directory.Exists(Path.Combine(folder, "runs")) ? Sweep(folder, result.GetValue(axis)!, result.GetValue(format)) : MetaLearning(folder, result.GetValue(format));
        }));
        return command;
    }

    private static int Sweep(string folder, string x, FigureFormat format)
    {
        var points = SweepReport.Collect(folder, x);
        if (points.Count == 0) throw new InvalidDataException($"'{folder}' has no evaluated runs yet (no runs/*/eval-best-uniform.json or eval-last-uniform.json).");
        Console.WriteLine($"{"method",-36} {x,8} {"MCC",14} {"R",14} seeds");
        foreach (var p in points)
            Console.WriteLine($"{p.Method,-36} {p.X,8:G3} {p.MeanMcc,7:F3} ± {p.StandardErrorMcc:F3} {p.MeanR,7:F3} ± {p.StandardErrorR:F3} {p.Seeds,5}");
        var seeds = points.Select(p => p.Seeds).ToArray();
        Console.WriteLine(seeds.Min() == seeds.Max() ? $"every cell has {seeds[0]} seed(s)"
            : $"cells have {seeds.Min()} to {seeds.Max()} seeds: fewer in " + string.Join(", ", points.Where(p => p.Seeds < seeds.Max()).Select(p => $"{p.Method} at {x} = {p.X:G3} ({p.Seeds})")));
        var missing = SweepReport.Missing(folder);
        if (missing.Count > 0)
            Console.WriteLine($"missing: {missing.Count} run(s) have no results yet and are not in the figure: {string.Join(", ", missing)}");
        foreach (var path in SweepReport.Write(folder, x, points, format)) Console.WriteLine($"wrote {path}");
        return 0;
    }

    private static int MetaLearning(string folder, FigureFormat format)
    {
        var results = MetaLearningReport.Collect(folder);
        if (results.Count == 0)
            throw new InvalidDataException($"'{folder}' is neither a sweep folder (no runs/) nor a folder of meta-tested runs (no */test-*.json).");
        Console.WriteLine($"{"benchmark",-16} {"K",3} {"λ₁/λ₁max",9} {"accuracy (%)",16} {"features used",14}");
        foreach (var r in results)
            Console.WriteLine($"{r.Dataset,-16} {r.Shots,3} {r.LambdaRatio,9:0.###} {100 * r.MeanAccuracy,8:F2} ± {100 * r.ConfidenceInterval95:F2} {100 * r.MeanFeatureFraction,13:F1}%");
        foreach (var path in MetaLearningReport.Write(folder, results, format)) Console.WriteLine($"wrote {path}");
        return 0;
    }
}
