using System.CommandLine;
using Disentangle.Experiments;

namespace Disentangle.Cli.Commands;

/// <summary><c>disentangle report SWEEP</c>: the paper's figure from a sweep's result files.</summary>
public static class ReportCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("report", "Draw MCC and R against ρ (or another option) from a sweep folder: report.csv, report.json, report.png.");
        var sweep = new Argument<DirectoryInfo>("sweep") { Description = "the sweep folder (runs/NAME)" };
        var axis = new Option<string>("--x") { Description = $"x axis: {string.Join(" | ", SweepReport.Axes)}", DefaultValueFactory = _ => "rho" };
        axis.AcceptOnlyFromAmong(SweepReport.Axes);
        command.Arguments.Add(sweep);
        command.Options.Add(axis);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            string folder = result.GetValue(sweep)!.FullName, x = result.GetValue(axis)!;
            var points = SweepReport.Collect(folder, x);
            if (points.Count == 0) throw new InvalidDataException($"'{folder}' has no evaluated runs yet (no runs/*/metrics.json).");
            Console.WriteLine($"{"method",-36} {x,8} {"MCC",14} {"R",14} seeds");
            foreach (var p in points)
                Console.WriteLine($"{p.Method,-36} {p.X,8:G3} {p.MeanMcc,7:F3} ± {p.StandardErrorMcc:F3} {p.MeanR,7:F3} ± {p.StandardErrorR:F3} {p.Seeds,5}");
            foreach (var path in SweepReport.Write(folder, x, points)) Console.WriteLine($"wrote {path}");
            return 0;
        }));
        return command;
    }
}
