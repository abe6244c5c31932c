using Disentangle.Experiments;
using Disentangle.Io;
using Disentangle.Metrics;
using Disentangle.Tensors;
using Disentangle.Training;

namespace Disentangle.Tests.Experiments;

public sealed class SweepSelectionTests
{
    private static DisentanglementScores Scores(double mcc) => new(mcc, mcc, null, 1 - mcc / 2, mcc / 2, 0, 0, [], [], [], mcc / 3, 0);

    private static SweepRunResult Run(long seed, double c, double mcc, double validation, string features = "none.npy", string method = "inner-lasso") =>
        new(method, "", 0.9, 1, 0.9, c, seed, 100, Scores(mcc), validation, features);

    [Fact]
    public void Best_c_takes_each_seeds_best_mcc_and_validation_each_seeds_lowest_loss()
    {
        SweepRunResult[] runs =
        [
            Run(0, 0.1, 0.9, 2.0), Run(0, 0.3, 0.5, 1.0),
            Run(1, 0.1, 0.6, 1.5), Run(1, 0.3, 0.8, 3.0),
        ];
        var rows = SweepSelection.Rows(runs);
        Assert.Equal([CSelection.EachC, CSelection.EachC, CSelection.BestC, CSelection.Validation], rows.Select(r => r.Selection));
        Assert.Equal(0.75, rows[0].Mcc.Mean, 1e-12);                    // c = 0.1: (0.9 + 0.6)/2
        Assert.Equal(0.15, rows[0].Mcc.Se, 1e-12);                      // s/√2 with s = 0.15·√2
        var best = rows[2];
        Assert.Null(best.C);
        Assert.Equal(0.85, best.Mcc.Mean, 1e-12);                       // seed 0 → c 0.1 (0.9), seed 1 → c 0.3 (0.8)
        Assert.Equal("0.1;0.3", best.ChosenC);
        Assert.Equal(1 - 0.85 / 2, best.R.Mean, 1e-12);
        var validation = rows[3];
        Assert.Equal(0.55, validation.Mcc.Mean, 1e-12);                 // seed 0 → c 0.3 (0.5), seed 1 → c 0.1 (0.6)
        Assert.Equal("0.3;0.1", validation.ChosenC);
        Assert.Equal(0.1, validation.RecommendedC);                  // mean loss: c 0.1 → 1.75, c 0.3 → 2.0
    }

    [Fact]
    public void Dci_column_follows_the_chosen_weighting()
    {
        var rows = SweepSelection.Rows([Run(0, 0.1, 0.6, 1)], Disentangle.Metrics.DciWeighting.ReleasedCode);
        Assert.Equal(0.2, rows[0].DciD.Mean, 1e-12);
        Assert.Equal(0.3, SweepSelection.Rows([Run(0, 0.1, 0.6, 1)])[0].DciD.Mean, 1e-12);
    }

    [Fact]
    public void Udr_picks_per_seed_the_c_whose_features_agree_across_seeds()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"disentangle-udr-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var random = new Random(2);
        var z = Matrix.RandomNormal(300, 3, random);
        string Save(string name, Matrix m) { var p = Path.Combine(folder, name); Npy.Write(p, m.Data, [m.Rows, m.Columns]); return p; }
        Matrix Noisy(Matrix m) { var c = m.Clone(); for (int k = 0; k < c.Data.Length; k++) c.Data[k] += 0.05 * random.NextGaussian(); return c; }
        // c = 0.3: every seed finds z (up to noise); c = 0.01: every seed finds its own random mix of z
        var runs = new List<SweepRunResult>();
        for (int seed = 0; seed < 3; seed++)
        {
            runs.Add(Run(seed, 0.3, 0.5, 1, Save($"a{seed}.npy", Noisy(z))));
            runs.Add(Run(seed, 0.01, 0.9, 1, Save($"b{seed}.npy", Matrix.Multiply(z, Matrix.RandomNormal(3, 3, random)))));
        }
        var scores = SweepSelection.UdrScores(runs)!;
        Assert.All(runs.Where(r => r.C == 0.3), r => Assert.True(scores[r] > 0.8, $"{scores[r]}"));
        var udr = SweepSelection.Rows(runs).Single(r => r.Selection == CSelection.Udr);
        Assert.Equal("0.3;0.3;0.3", udr.ChosenC);
        Assert.Equal(0.3, udr.RecommendedC);
        Assert.Equal(0.5, udr.Mcc.Mean, 1e-12);
        Directory.Delete(folder, true);
    }

    [Fact]
    public void Report_csv_has_the_required_columns_first_and_empty_c_for_selections()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"disentangle-report-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var rows = SweepSelection.Rows([Run(0, 0.1, 0.9, 2.0), Run(0, 0.3, 0.5, 1.0), Run(0, 0, 0.4, 0.5, method: "inner-ridge")]);
        var paths = SweepReport.Write(folder, "rho", rows);
        var table = CsvTable.Read(paths[0]);
        Assert.Equal(SweepReport.Columns, table.Columns);
        Assert.Equal(["inner-lasso", "0.9", "1", "0.1", "each-c"], table.Rows[0].Take(5));
        var bestC = table.Rows.First(r => r[4] == "best-c");
        Assert.Equal("", bestC[3]);
        Assert.Equal("0.9", bestC[5]);
        Assert.All(paths.Skip(2), p => Assert.True(new FileInfo(p).Length > 1000, p));
        Assert.Contains(SweepReport.Recommendations(rows, "rho"), l => l.Contains("inner-lasso at rho = 0.9: recommended c = 0.3 by validation"));
        Directory.Delete(folder, true);
    }
}
