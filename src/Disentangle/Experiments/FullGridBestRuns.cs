using Disentangle.Runs;

namespace Disentangle.Experiments;

/// <summary>A cell's best-c run: its folder, method (<c>inner-ridge-ica</c> for its FastICA score), c and seed, the sampled
/// MCC that made it the best, and its full-grid MCC (null when its checkpoints are gone and it was never scored so).</summary>
public sealed record FullGridBestRun(string Run, string Method, string Setting, double Rho, double LatentNoise, double C, long Seed,
    double SampledMcc, double? FullGridMcc);

/// <summary>The paper's scoring of a sweep's figures at the oracle's choice: in each cell (method, setting, ρ, latent noise,
/// seed), the run whose best checkpoint has the highest sampled MCC is scored on every grid image as well
/// (<c>evaluate RUN --full-grid</c>), so that <c>report --full-grid</c> draws the best-c curves as the paper scores them at
/// a cost of one full-grid evaluation per cell instead of one per run.</summary>
public static class FullGridBestRuns
{
    /// <summary>Scores every cell's best-c run on the full grid where that is not recorded yet and the run still holds its
    /// checkpoints; returns the best-c runs in report order.</summary>
    /// <param name="sweepFolder">The sweep folder.</param>
    /// <param name="onScoring">Called with each run's folder before it is scored.</param>
    /// <exception cref="DirectoryNotFoundException">The folder has no runs/ folder.</exception>
    public static IReadOnlyList<FullGridBestRun> Score(string sweepFolder, Action<string>? onScoring = null) =>
        SweepResults.Collect(sweepFolder, "rho")
            .GroupBy(r => (r.Method, r.Setting, r.Rho, r.LatentNoise, r.Seed))
            .Select(cell => cell.MaxBy(r => r.Scores.Mcc)!)
            .OrderBy(r => r.Method, StringComparer.Ordinal).ThenBy(r => r.Setting, StringComparer.Ordinal)
            .ThenBy(r => r.Rho).ThenBy(r => r.LatentNoise).ThenBy(r => r.Seed)
            .Select(best =>
            {
                string run = Path.GetDirectoryName(best.FeaturesPath)!;   // an evaluation's features lie in its run's folder
                var choice = new EvaluateOptions(FullGrid: true, Ica: best.Unmixed is null ? null : true);
                var scored = RunEvaluation.Recorded(run, choice);
                if (scored is null && new RunFolder(run).HoldsRun)
                {
                    onScoring?.Invoke(run);
                    scored = new RunEvaluation(run, choice).Run()[0];
                }
                return new FullGridBestRun(run, best.Method, best.Setting, best.Rho, best.LatentNoise, best.C, best.Seed,
                    best.Scores.Mcc, scored?.Scores.Mcc);
            }).ToArray();
}
