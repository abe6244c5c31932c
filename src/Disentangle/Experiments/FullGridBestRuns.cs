using Disentangle.Io;
using Disentangle.Runs;
using Disentangle.Training;

namespace Disentangle.Experiments;

/// <summary>A cell's best-c run: its folder, method (<c>inner-ridge-ica</c> for its FastICA score), c and seed, the sampled
/// MCC that made it the best, its full-grid MCC (null when it was never scored so: its checkpoints are gone, or its cell is
/// not finished), and whether every run of its cell is finished (until then its best c may change).</summary>
public sealed record FullGridBestRun(string Run, string Method, string Setting, double Rho, double LatentNoise, double C, long Seed,
    double SampledMcc, double? FullGridMcc, bool CellFinished);

/// <summary>The paper's scoring of a sweep's figures at the oracle's choice: in each cell (method, setting, ρ, latent noise,
/// seed), the run whose best checkpoint has the highest sampled MCC is scored on every grid image as well
/// (<c>evaluate RUN --full-grid</c>), so that <c>report --full-grid</c> draws the best-c curves as the paper scores them at
/// a cost of one full-grid evaluation per cell instead of one per run.</summary>
public static class FullGridBestRuns
{
    /// <summary>Scores every finished cell's best-c run on the full grid where that is not recorded yet and the run still
    /// holds its checkpoints; returns the best-c runs in report order.</summary>
    /// <param name="sweepFolder">The sweep folder.</param>
    /// <param name="unfinished">The sweep's runs not finished yet: a cell one of them falls in (by its method, setting, ρ,
    /// latent noise and seed) is not scored, so that no full-grid evaluation goes to a c that a later run beats.</param>
    /// <param name="onScoring">Called with each run's folder before it is scored.</param>
    /// <exception cref="DirectoryNotFoundException">The folder has no runs/ folder.</exception>
    public static IReadOnlyList<FullGridBestRun> Score(string sweepFolder, IEnumerable<TrainOptions> unfinished, Action<string>? onScoring = null)
    {
        var (results, setting) = SweepResults.CollectWithSettings(sweepFolder, "rho");
        var open = unfinished.SelectMany(run => Methods(run).Select(method => (method, setting(run), SweepReport.Rho(run.Latents), run.LatentNoise, run.Seed))).ToHashSet();
        return results
            .GroupBy(r => (r.Method, r.Setting, r.Rho, r.LatentNoise, r.Seed))
            .Select(cell => cell.MaxBy(r => r.Scores.Mcc)!)
            .OrderBy(r => r.Method, StringComparer.Ordinal).ThenBy(r => r.Setting, StringComparer.Ordinal)
            .ThenBy(r => r.Rho).ThenBy(r => r.LatentNoise).ThenBy(r => r.Seed)
            .Select(best =>
            {
                string run = Path.GetDirectoryName(best.FeaturesPath)!;   // an evaluation's features lie in its run's folder
                var choice = new EvaluateOptions(FullGrid: true, Ica: best.Unmixed is null ? null : true);
                var scored = RunEvaluation.Recorded(run, choice);
                bool finished = !open.Contains((best.Method, best.Setting, best.Rho, best.LatentNoise, best.Seed));
                if (scored is null && finished && new RunFolder(run).HoldsRun)
                {
                    onScoring?.Invoke(run);
                    scored = new RunEvaluation(run, choice).Run()[0];
                }
                return new FullGridBestRun(run, best.Method, best.Setting, best.Rho, best.LatentNoise, best.C, best.Seed,
                    best.Scores.Mcc, scored?.Scores.Mcc, finished);
            }).ToArray();
    }

    /// <summary>The methods a run's results are reported as: an inner-ridge run is inner-ridge-ica too.</summary>
    private static string[] Methods(TrainOptions run)
    {
        string method = ConfigFile.ToJson(run)["method"]!.GetValue<string>();
        return run.Method == TrainMethod.InnerRidge ? [method, method + "-ica"] : [method];
    }
}
