using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Disentangle.Io;
using Disentangle.Plots;
using Disentangle.Runs;
using Disentangle.Training;

namespace Disentangle.Experiments;

/// <summary>One point of a sweep figure: a method (and c) at one x, mean ± standard error over seeds.</summary>
public sealed record SweepPoint(string Method, double X, double MeanMcc, double StandardErrorMcc, double MeanR, double StandardErrorR, int Seeds);

/// <summary>Collects the evaluated runs of a sweep and draws the paper's figure: MCC and R against an x option (ρ, latent
/// noise, …), one line per method and λ ratio, mean ± standard error over seeds (Figures 4, 6, 8–10).</summary>
public static partial class SweepReport
{
    /// <summary>The x axes a report can use: <c>rho</c> (parsed from the latent distribution's name) or a numeric option.</summary>
    public static readonly string[] Axes = ["rho", "latentNoise", "lambdaRatio", "outerPenalty", "labelNoise", "outputs", "steps"];

    /// <summary>Reads every run under <c>sweep/runs/</c> with an evaluation (see <see cref="UniformEvaluations"/>); inner-ridge
    /// runs evaluated after FastICA too also give an "inner-ridge+ica" point.</summary>
    /// <exception cref="DirectoryNotFoundException">The sweep folder has no runs/ folder.</exception>
    /// <exception cref="ArgumentException">An unknown x axis (the message lists the valid ones).</exception>
    public static IReadOnlyList<SweepPoint> Collect(string sweepFolder, string axis)
    {
        if (!Axes.Contains(axis)) throw new ArgumentException($"Unknown x axis '{axis}'. Valid: {string.Join(", ", Axes)}.", nameof(axis));
        var runs = Path.Combine(sweepFolder, "runs");
        if (!Directory.Exists(runs)) throw new DirectoryNotFoundException($"'{sweepFolder}' is not a sweep folder: it has no runs/ folder.");
        var rows = new List<(string Method, double X, double Mcc, double R)>();
        foreach (var dir in Directory.GetDirectories(runs).Order(StringComparer.Ordinal))
        {
            var folder = new RunFolder(dir);
            if (!File.Exists(folder.Config)) continue;
            var options = ConfigFile.Load(folder.Config, new TrainOptions());
            double x = axis switch
            {
                "rho" => Rho(options.Latents),
                "lambdaRatio" => options.EffectiveLambdaRatio,
                _ => double.Parse(ConfigFile.ToJson(options)[axis]!.ToJsonString(), CultureInfo.InvariantCulture),
            };
            string ratio = options.EffectiveLambdaRatio.ToString("G3", CultureInfo.InvariantCulture);
            foreach (var result in UniformEvaluations(folder))
            {
                string suffix = result.Ica && options.Method != TrainMethod.InnerRidgeIca ? "+ica" : "";
                string method = ConfigFile.ToJson(options)["method"]!.GetValue<string>() + suffix;
                rows.Add(($"{method} (c={ratio})", x, result.Scores.Mcc, result.Scores.R));
            }
        }
        return rows.GroupBy(r => (r.Method, r.X)).OrderBy(g => g.Key.Method, StringComparer.Ordinal).ThenBy(g => g.Key.X)
            .Select(g =>
            {
                var (mcc, mccSe) = SampleStatistics.MeanAndStandardError(g.Select(r => r.Mcc).ToArray());
                var (r, rSe) = SampleStatistics.MeanAndStandardError(g.Select(r => r.R).ToArray());
                return new SweepPoint(g.Key.Method, g.Key.X, mcc, mccSe, r, rSe, g.Count());
            }).ToArray();
    }

    /// <summary>The runs of the sweep (one per <c>configs/NNNN.json</c>) that have no results yet (no evaluation that <see cref="UniformEvaluations"/> reads),
    /// by folder name, in grid order; they are not in the figure.</summary>
    public static IReadOnlyList<string> Missing(string sweepFolder)
    {
        var configs = Path.Combine(sweepFolder, "configs");
        if (!Directory.Exists(configs)) return [];
        return Directory.GetFiles(configs, "*.json").Order(StringComparer.Ordinal)
            .Select(file => Path.GetFileName(ConfigFile.Load(file, new TrainOptions()).Out.TrimEnd('/')))
            .Where(name => !UniformEvaluations(new RunFolder(Path.Combine(sweepFolder, "runs", name))).Any()).ToArray();
    }

    /// <summary>Writes <c>report.csv</c>, <c>report.json</c> and <c>report.png</c> (MCC and R panels) into the sweep folder.</summary>
    public static IReadOnlyList<string> Write(string sweepFolder, string axis, IReadOnlyList<SweepPoint> points, FigureFormat format = FigureFormat.Png)
    {
        var csv = new StringBuilder("method,x,mean_mcc,se_mcc,mean_r,se_r,seeds\n");
        foreach (var p in points)
            csv.AppendLine(string.Create(CultureInfo.InvariantCulture, $"\"{p.Method}\",{p.X:R},{p.MeanMcc:R},{p.StandardErrorMcc:R},{p.MeanR:R},{p.StandardErrorR:R},{p.Seeds}"));
        var paths = new[] { Path.Combine(sweepFolder, "report.csv"), Path.Combine(sweepFolder, "report.json"), Path.Combine(sweepFolder, "report" + FigureFile.Extension(format)) };
        File.WriteAllText(paths[0], csv.ToString());
        JsonFiles.Write(paths[1], points);
        Panel PanelOf(string metric, Func<SweepPoint, double> mean, Func<SweepPoint, double> error) => new(metric, axis == "rho" ? "ρ" : axis, metric,
            points.GroupBy(p => p.Method).Select(g => new Series(g.Key, g.Select(p => p.X).ToArray(), g.Select(mean).ToArray(), g.Select(error).ToArray())).ToArray(),
            axis == "rho" ? AxisScale.Correlation : AxisScale.Linear);
        LinePanels.Save(paths[2], [PanelOf("MCC", p => p.MeanMcc, p => p.StandardErrorMcc), PanelOf("R", p => p.MeanR, p => p.StandardErrorR)],
            panelWidth: 520, height: 400, caption: $"mean ± s.e. over {SeedCount(points)} seeds");
        return paths;
    }

    /// <summary>"3", or "2–3" when the points have different numbers of seeds.</summary>
    private static string SeedCount(IReadOnlyList<SweepPoint> points)
    {
        int low = points.Min(p => p.Seeds), high = points.Max(p => p.Seeds);
        return low == high ? $"{low}" : $"{low}–{high}";
    }

    /// <summary>The uniform-grid evaluations of a run that a report uses: those <c>evaluate</c> wrote with the sweep's
    /// defaults (<c>eval-best-uniform.json</c>, or <c>eval-last-uniform.json</c> for a run without a best checkpoint), without
    /// and then with FastICA (<c>eval-best-ica-uniform.json</c>, …).</summary>
    public static IEnumerable<EvaluationResult> UniformEvaluations(RunFolder folder)
    {
        foreach (bool ica in new[] { false, true })
        {
            var file = new[] { "best", "last" }.Select(c => folder.Evaluation(RunFolder.EvaluationName(c, ica, "uniform"))).FirstOrDefault(File.Exists);
            if (file is not null) yield return JsonFiles.Read<EvaluationResult>(file);
        }
    }

    /// <summary>ρ of a latent distribution name (<c>harder_gauss_0.9</c> → 0.9; <c>uniform</c> → 0).</summary>
    public static double Rho(string latents)
    {
        var match = TrailingNumber().Match(latents);
        return match.Success ? double.Parse(match.Value, CultureInfo.InvariantCulture) : 0;
    }


    [GeneratedRegex(@"[0-9]*\.?[0-9]+$")]
    private static partial Regex TrailingNumber();
}
