using System.Text;
using Disentangle.Io;
using Disentangle.Plots;
using Disentangle.Runs;
using Disentangle.Training;

namespace Disentangle.Experiments;

/// <summary>One evaluation row of one run's training log: MCC, R and the validation loss at a step.</summary>
/// <param name="Run">The run's folder name.</param>
/// <param name="Method">The run's method.</param>
/// <param name="X">The run's value on the report's x axis (ρ, latent noise, …).</param>
/// <param name="C">The run's c (<see cref="SweepResults.C"/>: for outer-l1 and outer-l2, c_out).</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Step">The step of the evaluation.</param>
/// <param name="Mcc">MCC on the run's evaluation samples at that step.</param>
/// <param name="R">R at that step.</param>
/// <param name="ValidationLoss">The validation outer loss at that step.</param>
public sealed record LearningCurvePoint(string Run, string Method, double X, double C, long Seed, long Step, double Mcc, double R, double ValidationLoss);

/// <summary>Learning curves of a sweep (MCC against step), read from the runs' <c>log.csv</c>, so a reader sees whether the
/// runs converged: <c>learning-curves.csv</c> (every evaluation of every run) and <c>learning-curves.png</c> (per method, the
/// mean over seeds for each x value at the c whose final MCC is highest on average).</summary>
/// <remarks>The curves use the MCC the training loop logs at each evaluation (its evaluation samples, no ICA), so an
/// inner-ridge curve shows the representation before ICA.</remarks>
public static class LearningCurves
{
    /// <summary>Every logged evaluation of every run under <c>sweepFolder/runs/</c> (runs without a log are skipped).</summary>
    /// <param name="sweepFolder">The sweep folder.</param>
    /// <param name="axis">The x axis: <c>rho</c> or a numeric train option (one of <see cref="SweepReport.Axes"/>).</param>
    /// <exception cref="ArgumentException">An unknown x axis.</exception>
    public static IReadOnlyList<LearningCurvePoint> Collect(string sweepFolder, string axis)
    {
        SweepReport.CheckAxis(axis);
        var runs = Path.Combine(sweepFolder, "runs");
        if (!Directory.Exists(runs)) return [];
        return [.. Directory.GetDirectories(runs).Order(StringComparer.Ordinal)
            .Select(dir => new RunFolder(dir))
            .Where(folder => File.Exists(folder.Config) && File.Exists(folder.Log))
            .SelectMany(folder =>
            {
                var options = ConfigFile.Load(folder.Config, new TrainOptions());
                var json = ConfigFile.ToJson(options);
                double x = SweepReport.AxisValue(options, json, axis);
                string method = json["method"]!.GetValue<string>(), name = Path.GetFileName(folder.Path);
                var log = CsvTable.Read(folder.Log);
                var (steps, mcc, r, validation) = (log.Numbers("step"), log.Numbers("mcc"), log.Numbers("r"), log.Numbers("validation_loss"));
                return Enumerable.Range(0, steps.Length).Where(i => double.IsFinite(mcc[i]))
                    .Select(i => new LearningCurvePoint(name, method, x, SweepResults.C(options), options.Seed, (long)steps[i], mcc[i], r[i], validation[i]));
            })];
    }

    /// <summary>Writes <c>learning-curves.csv</c> and the figure <c>learning-curves.png</c> (or .svg, .pdf) into
    /// <paramref name="folder"/>; returns their paths (none when no run has logged an evaluation yet).</summary>
    public static IReadOnlyList<string> Write(string folder, string axis, IReadOnlyList<LearningCurvePoint> points, FigureFormat format = FigureFormat.Png)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0) return [];
        string csv = Path.Combine(folder, "learning-curves.csv"), png = Path.Combine(folder, "learning-curves" + FigureFile.Extension(format));
        var text = new StringBuilder($"run,method,{CsvName(axis)},c,seed,step,mcc,r,validation_loss\n");
        foreach (var p in points)
            text.AppendJoin(',', new object?[] { p.Run, p.Method, p.X, p.C, p.Seed, p.Step, p.Mcc, p.R, p.ValidationLoss }.Select(CsvWriter.Format)).Append('\n');
        AtomicFile.WriteText(csv, text.ToString());
        LinePanels.Save(png, [.. Panels(axis, points)], caption: "mean MCC over seeds at each logged evaluation");
        return [csv, png];
    }

    /// <summary>One panel per method: for each x value, the mean MCC over seeds at each step, at the c with the best mean final MCC.</summary>
    public static IEnumerable<Panel> Panels(string axis, IReadOnlyList<LearningCurvePoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        foreach (var method in points.GroupBy(p => p.Method).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var lines = method.GroupBy(p => p.X).OrderBy(g => g.Key).Select(cell =>
            {
                var best = cell.GroupBy(p => p.C).MaxBy(c => c.GroupBy(p => p.Run).Average(run => run.MaxBy(p => p.Step)!.Mcc))!;
                var bySteps = best.GroupBy(p => p.Step).OrderBy(g => g.Key).ToArray();
                int seeds = best.Select(p => p.Seed).Distinct().Count();
                return new Series($"{SweepReport.AxisLabel(axis)} = {cell.Key:G3}, c = {best.Key:G3} ({seeds} seed{(seeds == 1 ? "" : "s")})",
                    [.. bySteps.Select(g => (double)g.Key)], [.. bySteps.Select(g => g.Average(p => p.Mcc))]);
            }).ToList();
            yield return new Panel(method.Key, "step", "MCC (evaluation samples)", lines);
        }
    }

    /// <summary>The axis as a CSV column (snake case, as the report's columns: <c>latentNoise</c> → <c>latent_noise</c>).</summary>
    private static string CsvName(string axis) => string.Concat(axis.Select(ch => char.IsUpper(ch) ? "_" + char.ToLowerInvariant(ch) : ch.ToString()));
}
