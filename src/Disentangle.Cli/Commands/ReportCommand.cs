using System.CommandLine;
using Disentangle.Experiments;
using Disentangle.Runs;
using Disentangle.Metrics;
using Disentangle.Plots;

namespace Disentangle.Cli.Commands;

/// <summary><c>disentangle report FOLDER</c>: the paper's figure from result files: Figures 4, 6, 8–10 from a sweep folder,
/// Figure 5 from a folder of meta-trained and meta-tested runs.</summary>
public static class ReportCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("report", "Draw the paper's figure from results: for a sweep folder (runs/NAME), one report.csv with every c "
            + "(each-c) and each seed's c picked by MCC (best-c, the paper's oracle), by validation loss or by UDR (both without ground truth), bar plots "
            + "of every c (report-bars*.png), curves of the best c against ρ or another option (report.png, report-selection.png), learning curves "
            + "(learning-curves.csv/png: MCC against step) and the c recommended to a user without ground-truth factors; for a folder of meta-test runs, Figure 5 (accuracy vs λ₁/λ₁max, sorted feature usage) in figure5.csv/png.");
        var folderArgument = new Argument<DirectoryInfo>("folder") { Description = "a sweep folder (runs/NAME), or a folder of meta-train runs with test-*.json" };
        var axis = new Option<string>("--x") { Description = $"x axis of a sweep report: {string.Join(" | ", SweepReport.Axes)}", DefaultValueFactory = _ => "rho" };
        axis.AcceptOnlyFromAmong(SweepReport.Axes);
        var dci = new Option<DciWeighting>("--dci") { Description = "DCI weighting of the dci_d columns: disentanglement-lib (default) | released-code (the paper's code)", DefaultValueFactory = _ => DciWeighting.DisentanglementLib };
        EnumOptions.SpellAsFiles(dci);
        command.Arguments.Add(folderArgument);
        command.Options.Add(axis);
        command.Options.Add(dci);
        var format = new Option<FigureFormat>("--format") { Description = "figure format: png | svg | pdf", DefaultValueFactory = _ => FigureFormat.Png };
        EnumOptions.SpellAsFiles(format);
        command.Options.Add(format);
        var checkpoint = new Option<CheckpointChoice>("--checkpoint")
        {
            Description = "which evaluation of each sweep run: best (by validation loss, the paper's) | last (written as report-last.*)",
            DefaultValueFactory = _ => CheckpointChoice.Best,
        };
        EnumOptions.SpellAsFiles(checkpoint);
        command.Options.Add(checkpoint);
        var fullGrid = new Option<bool>("--full-grid")
        {
            Description = "score each sweep run by its full-grid evaluation (every grid image, as the paper; 'evaluate RUN --full-grid' or a sweep file "
                + "with \"fullGrid\": true writes them) instead of the sampled one; written as report-full-grid.* (report-last-full-grid.* with --checkpoint last)",
        };
        command.Options.Add(fullGrid);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            string folder = result.GetValue(folderArgument)!.FullName;
            return Directory.Exists(Path.Combine(folder, "runs"))
                ? Sweep(folder, result.GetValue(axis)!, result.GetValue(dci), result.GetValue(format), result.GetValue(checkpoint), result.GetValue(fullGrid))
                : MetaLearning(folder, result.GetValue(format));
        }));
        return command;
    }

    private static int Sweep(string folder, string x, DciWeighting dci, FigureFormat format, CheckpointChoice checkpoint, bool fullGrid)
    {
        var runs = SweepResults.Collect(folder, x, checkpoint, fullGrid);
        string grid = fullGrid ? "-full-grid" : "", gridFlag = fullGrid ? " --full-grid" : "";
        if (runs.Count == 0)
            throw new InvalidDataException(checkpoint == CheckpointChoice.Best
                ? $"'{folder}' has no evaluated runs yet (no runs/*/eval-best{grid}-uniform.json or eval-last{grid}-uniform.json; 'disentangle evaluate RUN{gridFlag}' writes them)."
                : $"'{folder}' has no run evaluated at its last checkpoint (no runs/*/eval-last{grid}-uniform.json; 'disentangle evaluate RUN --checkpoint last{gridFlag}' writes them).");
        var rows = SweepSelection.Rows(runs, dci);
        Console.WriteLine($"{"method",-30} {x,8} {"c",8} {"selection",-10} {"MCC",14} {"R",14} {"DCI-D",14} seeds  chosen c");
        foreach (var r in rows)
            Console.WriteLine($"{(r.Setting.Length > 0 ? r.Method + " " + r.Setting : r.Method),-30} {r.X,8:G3} {(r.C is { } c ? c.ToString("G3") : ""),8} "
                + $"{SweepReport.Name(r.Selection),-10} {r.Mcc.Mean,7:F3} ± {r.Mcc.Se:F3} {r.R.Mean,7:F3} ± {r.R.Se:F3} {r.DciD.Mean,7:F3} ± {r.DciD.Se:F3} {r.Seeds,5}  {r.ChosenC}");
        var seeds = rows.Select(r => r.Seeds).ToArray();
        Console.WriteLine(seeds.Min() == seeds.Max() ? $"every cell has {seeds[0]} seed(s)"
            : $"cells have {seeds.Min()} to {seeds.Max()} seeds: fewer in " + string.Join(", ", rows.Where(r => r.Seeds < seeds.Max())
                .Select(r => $"{r.Method} at {x} = {r.X:G3}{(r.C is { } c ? $", c = {c:G3}" : "")} ({r.Seeds})").Distinct()));
        foreach (var line in SweepReport.Recommendations(rows, x)) Console.WriteLine(line);
        var missing = SweepReport.Missing(folder, checkpoint, fullGrid);
        if (missing.Count > 0)
            Console.WriteLine($"missing: {missing.Count} run(s) have no results yet and are not in the figure: {string.Join(", ", missing.Take(10))}"
                + (missing.Count > 10 ? $", … and {missing.Count - 10} more ('sweep FOLDER --status' lists them)" : ""));
        string prefix = (checkpoint == CheckpointChoice.Best ? "report" : "report-last") + grid;
        foreach (var path in SweepReport.Write(folder, x, rows, format, prefix)) Console.WriteLine($"wrote {path}");
        foreach (var path in LearningCurves.Write(folder, x, LearningCurves.Collect(folder, x), format)) Console.WriteLine($"wrote {path}");
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
