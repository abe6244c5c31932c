using Disentangle.Metrics;

namespace Disentangle.Experiments;

/// <summary>How a report row picks c: every c on its own, or one c per seed.</summary>
public enum CSelection
{
    /// <summary>One row per c: mean ± s.e. over the seeds trained with it (the paper's bar plots).</summary>
    EachC,
    /// <summary>Per seed, its c with the highest MCC, then mean ± s.e. over seeds (the paper's summary curves: an oracle
    /// that uses the ground-truth factors).</summary>
    BestC,
    /// <summary>Per seed, its c with the lowest validation outer loss (no ground truth).</summary>
    Validation,
    /// <summary>Per seed, its c with the highest UDR score against the other seeds at the same c (no ground truth).</summary>
    Udr,
}

/// <summary>One row of a sweep report (<c>report.csv</c>).</summary>
/// <param name="Method">The method.</param>
/// <param name="Rho">ρ of the latent distribution.</param>
/// <param name="LatentNoise">Latent noise s.</param>
/// <param name="X">The value on the report's x axis.</param>
/// <param name="C">c for <see cref="CSelection.EachC"/> rows; null for the per-seed selections.</param>
/// <param name="Selection">How c was picked.</param>
/// <param name="Mcc">MCC mean and standard error over seeds.</param>
/// <param name="R">R mean and standard error.</param>
/// <param name="DciD">DCI disentanglement mean and standard error.</param>
/// <param name="Seeds">Seeds averaged.</param>
/// <param name="Steps">Training steps of the runs.</param>
/// <param name="Setting">Other options that vary across the sweep (<c>key=value …</c>).</param>
/// <param name="ChosenC">For per-seed selections, each seed's c in seed order (<c>0.1;0.3;0.1</c>).</param>
/// <param name="RecommendedC">For label-free selections, one c for the cell: the lowest mean validation loss or the
/// highest mean UDR over seeds; null otherwise.</param>
public sealed record SweepReportRow(string Method, double Rho, double LatentNoise, double X, double? C, CSelection Selection,
    (double Mean, double Se) Mcc, (double Mean, double Se) R, (double Mean, double Se) DciD, int Seeds, long Steps, string Setting,
    string ChosenC, double? RecommendedC);

/// <summary>Turns the runs of a sweep into report rows: every c, and each seed's c picked by MCC (oracle), by validation
/// loss or by UDR (both label-free).</summary>
public static class SweepSelection
{
    /// <summary>The rows of every cell (method, setting, ρ, latent noise, x), each-c rows first, then best-c, validation, UDR.</summary>
    /// <param name="runs">The evaluated runs.</param>
    /// <param name="dci">Which DCI weighting fills the dci_d columns.</param>
    public static IReadOnlyList<SweepReportRow> Rows(IReadOnlyList<SweepRunResult> runs, DciWeighting dci = DciWeighting.DisentanglementLib)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var rows = new List<SweepReportRow>();
        var cells = runs.GroupBy(r => (r.Method, r.Setting, r.Rho, r.LatentNoise, r.X))
            .OrderBy(g => g.Key.Method, StringComparer.Ordinal).ThenBy(g => g.Key.Setting, StringComparer.Ordinal)
            .ThenBy(g => g.Key.X).ThenBy(g => g.Key.Rho).ThenBy(g => g.Key.LatentNoise);
        foreach (var cell in cells)
        {
            SweepReportRow Row(IReadOnlyList<SweepRunResult> picked, double? c, CSelection selection, string chosen = "", double? recommended = null) =>
                new(cell.Key.Method, cell.Key.Rho, cell.Key.LatentNoise, cell.Key.X, c, selection,
                    Stats(picked, r => r.Scores.Mcc), Stats(picked, r => r.Scores.R), Stats(picked, r => r.Scores.DciDisentanglementBy(dci)),
                    picked.Count, picked.Max(r => r.Steps), cell.Key.Setting, chosen, recommended);
            foreach (var byC in cell.GroupBy(r => r.C).OrderBy(g => g.Key))
                rows.Add(Row([.. byC], byC.Key, CSelection.EachC));
            var seeds = cell.GroupBy(r => r.Seed).OrderBy(g => g.Key).ToArray();
            var best = seeds.Select(s => s.MaxBy(r => r.Scores.Mcc)!).ToArray();
            rows.Add(Row(best, null, CSelection.BestC, Chosen(best)));
            if (cell.All(r => double.IsFinite(r.ValidationLoss)))
            {
                var byValidation = seeds.Select(s => s.MinBy(r => r.ValidationLoss)!).ToArray();
                double recommended = cell.GroupBy(r => r.C).MinBy(g => g.Average(r => r.ValidationLoss))!.Key;
                rows.Add(Row(byValidation, null, CSelection.Validation, Chosen(byValidation), recommended));
            }
            var udr = UdrScores(cell.ToArray());
            if (udr is not null)
            {
                var byUdr = seeds.Select(s => s.Where(udr.ContainsKey).MaxBy(r => udr[r])).Where(r => r is not null).Select(r => r!).ToArray();
                double recommended = cell.Where(udr.ContainsKey).GroupBy(r => r.C).MaxBy(g => g.Average(r => udr[r]))!.Key;
                rows.Add(Row(byUdr, null, CSelection.Udr, Chosen(byUdr), recommended));
            }
        }
        return rows;
    }

    /// <summary>Each run's UDR score against the other seeds with the same c (null when no c has two seeds, or the
    /// seeds' features were not computed on the same inputs).</summary>
    public static Dictionary<SweepRunResult, double>? UdrScores(IReadOnlyList<SweepRunResult> cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var scores = new Dictionary<SweepRunResult, double>();
        foreach (var byC in cell.GroupBy(r => r.C))
        {
            var group = byC.Where(r => r.HasFeatures).ToArray();
            if (group.Length < 2) continue;
            var features = group.Select(r => r.ReadFeatures()).ToArray();
            if (features.Select(f => f.Rows).Distinct().Count() > 1) return null;
            var model = Udr.ModelScores(features);
            for (int i = 0; i < group.Length; i++) scores[group[i]] = model[i];
        }
        return scores.Count == 0 ? null : scores;
    }

    private static string Chosen(IEnumerable<SweepRunResult> picked) =>
        string.Join(";", picked.Select(r => r.C.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)));

    private static (double, double) Stats(IReadOnlyList<SweepRunResult> runs, Func<SweepRunResult, double> value) =>
        SampleStatistics.MeanAndStandardError(runs.Select(value).ToArray());
}
