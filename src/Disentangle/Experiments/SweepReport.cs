using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Disentangle.Io;
using Disentangle.Plots;
using Disentangle.Runs;
using Disentangle.Training;

namespace Disentangle.Experiments;

/// <summary>Writes a sweep's report: one CSV with every c and each selection of c, and the paper's two figure forms —
/// bar plots of every c at each x, and summary curves of each seed's best c against x (Figures 4, 6, 8–10, 15).</summary>
public static partial class SweepReport
{
    /// <summary>The x axes a report can use: <c>rho</c> (parsed from the latent distribution's name), <c>supportSize</c>
    /// (the s of the task coefficients' name, <c>block_support_s</c>, as Figure 8) or a numeric option.</summary>
    public static readonly string[] Axes = ["rho", "latentNoise", "outerPenalty", "labelNoise", "outputs", "steps", "supportSize"];

    /// <summary>The CSV's columns: the required ones first, then <c>x</c> (the report's axis), <c>setting</c> (other options
    /// that vary across the sweep), <c>chosen_c</c> (each seed's c for per-seed selections) and <c>recommended_c</c>
    /// (the one c a label-free selection recommends for the cell).</summary>
    public static readonly string[] Columns = ["method", "rho", "latent_noise", "c", "selection", "mcc_mean", "mcc_se", "r_mean", "r_se",
        "dci_d_mean", "dci_d_se", "seeds", "steps", "x", "setting", "chosen_c", "recommended_c"];

    /// <summary>The runs of the sweep (one per <c>configs/NNNN.json</c>) that have no results yet (no evaluation that
    /// <see cref="SweepResults.UniformEvaluations"/> reads), by folder name, in grid order; they are not in the figure.</summary>
    public static IReadOnlyList<string> Missing(string sweepFolder, CheckpointChoice checkpoint = CheckpointChoice.Best, bool fullGrid = false)
    {
        var configs = Path.Combine(sweepFolder, "configs");
        if (!Directory.Exists(configs)) return [];
        return Directory.GetFiles(configs, "*.json").Order(StringComparer.Ordinal)
            .Select(file => Path.GetFileName(ConfigFile.Load(file, new TrainOptions()).Out.TrimEnd('/')))
            .Where(name => !SweepResults.UniformEvaluations(new RunFolder(Path.Combine(sweepFolder, "runs", name)), checkpoint, fullGrid).Any()).ToArray();
    }

    /// <summary>The name of a selection in the CSV: <c>each-c</c>, <c>best-c</c>, <c>validation</c> or <c>udr</c>.</summary>
    public static string Name(CSelection selection) => selection switch
    {
        CSelection.EachC => "each-c",
        CSelection.BestC => "best-c",
        CSelection.Validation => "validation",
        CSelection.Udr => "udr",
        _ => throw new ArgumentOutOfRangeException(nameof(selection), selection, "Unknown selection."),
    };

    /// <summary>Writes <c>report.csv</c>, <c>report.json</c>, <c>report.png</c> (MCC, R and DCI-D of each seed's best c
    /// against x), <c>report-bars.png</c> and <c>report-bars-r.png</c> (MCC and R of every c, one panel per x) and
    /// <c>report-selection.png</c> (MCC of the best-c oracle and of the label-free selections) into the sweep folder (the
    /// figures as .svg or .pdf with <paramref name="format"/>); returns the paths. With x = ρ the curves place ρ at
    /// −log10(1 − ρ), so 0.9 and 0.99 lie apart.</summary>
    /// <param name="sweepFolder">The sweep folder the files go to.</param>
    /// <param name="axis">The x axis.</param>
    /// <param name="rows">The report's rows.</param>
    /// <param name="format">The figures' format.</param>
    /// <param name="name">The files' common name (<c>report</c>; <c>report-last</c> for the last checkpoints' scores).</param>
    public static IReadOnlyList<string> Write(string sweepFolder, string axis, IReadOnlyList<SweepReportRow> rows, FigureFormat format = FigureFormat.Png,
        string name = "report")
    {
        var csv = new StringBuilder(string.Join(",", Columns) + "\n");
        foreach (var r in rows)
            csv.AppendLine(string.Join(",", [Quote(r.Method), F(r.Rho), F(r.LatentNoise), r.C is { } c ? F(c) : "", Name(r.Selection),
                F(r.Mcc.Mean), F(r.Mcc.Se), F(r.R.Mean), F(r.R.Se), F(r.DciD.Mean), F(r.DciD.Se), r.Seeds.ToString(CultureInfo.InvariantCulture),
                r.Steps.ToString(CultureInfo.InvariantCulture), F(r.X), Quote(r.Setting), Quote(r.ChosenC), r.RecommendedC is { } rc ? F(rc) : ""]));
        string extension = FigureFile.Extension(format);
        var paths = new[] { ".csv", ".json", extension, "-bars" + extension, "-bars-r" + extension, "-selection" + extension }
            .Select(f => name + f)
            .Select(f => Path.Combine(sweepFolder, f)).ToArray();
        AtomicFile.WriteText(paths[0], csv.ToString());
        JsonFiles.Write(paths[1], rows.Select(r => new
        {
            r.Method, r.Rho, r.LatentNoise, r.X, r.C, Selection = Name(r.Selection), MccMean = r.Mcc.Mean, MccSe = r.Mcc.Se, RMean = r.R.Mean,
            RSe = r.R.Se, DciDMean = r.DciD.Mean, DciDSe = r.DciD.Se, r.Seeds, r.Steps, r.Setting, r.ChosenC, r.RecommendedC,
        }).ToArray());
        string Label(SweepReportRow r) => r.Setting.Length == 0 ? r.Method : $"{r.Method} {r.Setting}";
        var scale = axis == "rho" ? AxisScale.Correlation : AxisScale.Linear;
        string xLabel = AxisLabel(axis);
        Panel Curves(string title, string metric, Func<SweepReportRow, (double Mean, double Se)> value, IEnumerable<SweepReportRow> selected,
            Func<SweepReportRow, string> label) =>
            new(title, xLabel, metric, selected.GroupBy(label)
                .Select(g => new Series(g.Key, [.. g.Select(r => r.X)], [.. g.Select(r => value(r).Mean)], [.. g.Select(r => value(r).Se)])).ToArray(), scale);
        var best = rows.Where(r => r.Selection == CSelection.BestC).ToArray();
        string caption = $"mean ± s.e. over {SeedCount(rows)} seeds";
        LinePanels.Save(paths[2], [Curves("MCC (best c)", "MCC", r => r.Mcc, best, Label), Curves("R (best c)", "R", r => r.R, best, Label),
            Curves("DCI-D (best c)", "DCI-D", r => r.DciD, best, Label)], panelWidth: 460, height: 400, caption: caption);
        BarPanels.Save(paths[3], Bars(rows, xLabel, Label, "MCC", r => r.Mcc), caption: caption);
        BarPanels.Save(paths[4], Bars(rows, xLabel, Label, "R", r => r.R), caption: caption);
        var labelFree = new[] { CSelection.BestC, CSelection.Validation, CSelection.Udr };
        LinePanels.Save(paths[5], [Curves("MCC by selection of c", "MCC", r => r.Mcc, rows.Where(r => labelFree.Contains(r.Selection)),
            r => $"{Label(r)} ({Name(r.Selection)})")], panelWidth: 640, height: 460, caption: caption);
        return paths;
    }

    /// <summary>"3", or "2–3" when the rows average different numbers of seeds.</summary>
    private static string SeedCount(IReadOnlyList<SweepReportRow> rows)
    {
        if (rows.Count == 0) return "0";
        int low = rows.Min(r => r.Seeds), high = rows.Max(r => r.Seeds);
        return low == high ? $"{low}" : $"{low}–{high}";
    }

    /// <summary>One line per cell and label-free selection: the c it recommends to a user with no ground-truth factors.</summary>
    public static IEnumerable<string> Recommendations(IReadOnlyList<SweepReportRow> rows, string axis) =>
        rows.Where(r => r.RecommendedC is not null).Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{r.Method}{(r.Setting.Length > 0 ? " " + r.Setting : "")} at {axis} = {r.X:G3}: recommended c = {r.RecommendedC:G3} by {Name(r.Selection)}")
            + (r.Selection == CSelection.Udr ? " (highest mean UDR over seeds)" : " (lowest mean validation loss)"));

    /// <summary>Throws unless <paramref name="axis"/> is one of <see cref="Axes"/>.</summary>
    /// <exception cref="ArgumentException">An unknown x axis (the message lists the valid ones).</exception>
    public static void CheckAxis(string axis)
    {
        if (!Axes.Contains(axis)) throw new ArgumentException($"Unknown x axis '{axis}'. Valid: {string.Join(", ", Axes)}.", nameof(axis));
    }

    /// <summary>The axes read from a named option rather than a numeric one: the option, the axis label and the value.</summary>
    private static readonly Dictionary<string, (string Option, string Label, Func<TrainOptions, double> Value)> NamedAxes = new()
    {
        ["rho"] = ("latents", "ρ", options => Rho(options.Latents)),
        ["supportSize"] = ("coefficients", "support size s (coefficients)", options => SupportSize(options.Coefficients)),
    };

    /// <summary>A run's value on the x axis: ρ of its latent distribution, the support size of its task coefficients, or
    /// the option named by <paramref name="axis"/> in <paramref name="json"/> (its options as <see cref="Io.ConfigFile.ToJson"/>
    /// writes them).</summary>
    /// <exception cref="ArgumentException">x = supportSize for coefficients whose name ends in no size.</exception>
    public static double AxisValue(TrainOptions options, JsonObject json, string axis)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(json);
        return NamedAxes.TryGetValue(axis, out var named) ? named.Value(options) : double.Parse(json[axis]!.ToJsonString(), CultureInfo.InvariantCulture);
    }

    /// <summary>The option an axis reads: <c>latents</c> for ρ, <c>coefficients</c> for the support size, else the axis.</summary>
    public static string AxisOption(string axis) => NamedAxes.TryGetValue(axis, out var named) ? named.Option : axis;

    /// <summary>The axis as a figure labels it: ρ, the support size, else the option's name.</summary>
    public static string AxisLabel(string axis) => NamedAxes.TryGetValue(axis, out var named) ? named.Label : axis;

    /// <summary>The support size s of a task-coefficient distribution name (<c>block_support_3</c> → 3).</summary>
    /// <exception cref="ArgumentException">The name ends in no size (<c>binomial_gauss</c>, <c>laplace</c>).</exception>
    public static double SupportSize(string coefficients)
    {
        var match = TrailingNumber().Match(coefficients);
        return match.Success ? double.Parse(match.Value, CultureInfo.InvariantCulture)
            : throw new ArgumentException($"The task coefficients '{coefficients}' have no support size (x = supportSize needs names such as block_support_2).", nameof(coefficients));
    }

    /// <summary>ρ of a latent distribution name (<c>harder_gauss_0.9</c> → 0.9; <c>uniform</c> → 0).</summary>
    public static double Rho(string latents)
    {
        var match = TrailingNumber().Match(latents);
        return match.Success ? double.Parse(match.Value, CultureInfo.InvariantCulture) : 0;
    }

    private static BarPanel[] Bars(IReadOnlyList<SweepReportRow> rows, string axis, Func<SweepReportRow, string> label, string metric,
        Func<SweepReportRow, (double Mean, double Se)> value)
    {
        var each = rows.Where(r => r.Selection == CSelection.EachC).ToArray();
        var cs = each.Select(r => r.C!.Value).Distinct().Order().ToArray();
        var categories = cs.Select(c => c.ToString("G3", CultureInfo.InvariantCulture)).ToArray();
        return [.. each.GroupBy(r => r.X).OrderBy(g => g.Key).Select(atX => new BarPanel(
            string.Create(CultureInfo.InvariantCulture, $"{axis} = {atX.Key:G3}"), CLabel(each), metric, categories,
            atX.GroupBy(label).Select(g => new BarSeries(g.Key,
                [.. cs.Select(c => g.FirstOrDefault(r => r.C == c) is { } r ? value(r).Mean : double.NaN)],
                [.. cs.Select(c => g.FirstOrDefault(r => r.C == c) is { } r ? value(r).Se : double.NaN)])).ToArray()))];
    }

    /// <summary>The bars' c axis: λ/λ_max for the inner penalties, c_out when every bar is an outer-l1 or outer-l2 run
    /// (<see cref="SweepResults.C"/>).</summary>
    private static string CLabel(IEnumerable<SweepReportRow> rows) =>
        rows.All(r => r.Method.StartsWith("outer-", StringComparison.Ordinal)) ? "c_out (the outer penalty)" : "c = λ/λ_max (ridge: λ/(‖X‖²_F/n))";

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string s) => s.Length == 0 ? "" : s.Contains(',') || s.Contains('"') || s.Contains(' ') ? $"\"{s.Replace("\"", "\"\"")}\"" : s;

    [GeneratedRegex(@"[0-9]*\.?[0-9]+$")]
    private static partial Regex TrailingNumber();
}
