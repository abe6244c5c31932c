using Disentangle.Metrics;
using Disentangle.Training;

namespace Disentangle.Runs;

/// <summary>The scores of one evaluation of a run on one evaluation set: the schema of every <c>eval-*.json</c> file,
/// written alike by <c>train</c> (its end-of-training evaluation) and <c>evaluate</c> (docs/run-folder.md).</summary>
/// <param name="Run">The run folder.</param>
/// <param name="Method">The run's method.</param>
/// <param name="Step">The step of the parameters actually scored.</param>
/// <param name="Checkpoint">The checkpoint actually scored: <c>best</c> or <c>last</c> (<c>evaluate --checkpoint</c>; <c>last</c>
/// when best was asked for and the run has none, see <paramref name="Notice"/>), or <c>train</c>: the evaluation <c>train</c>
/// itself runs on the final parameters, on its own <c>--eval-samples</c> uniform set.</param>
/// <param name="Ica">Whether FastICA was applied to the features first.</param>
/// <param name="Set"><c>uniform</c> (the reference's out-of-distribution grid) or the training distribution's name.</param>
/// <param name="Samples">Samples of the set.</param>
/// <param name="FeatureUsage">Per feature, how many task predictors used it during training.</param>
/// <param name="Scores">MCC, R, DCI (both weightings), …</param>
/// <param name="Evaluation"><c>full-grid</c> (every grid image, the reference's evaluation) or <c>sampled</c> (uniform draws).</param>
/// <param name="IcaSamples">Training-distribution samples FastICA was fitted on; null without ICA.</param>
/// <param name="ValidationLoss">The validation outer loss logged at <paramref name="Step"/> (for <c>best</c>, the lowest one);
/// null when the log has none at that step.</param>
/// <param name="Notice">Why <paramref name="Checkpoint"/> differs from the checkpoint asked for; null when it does not.</param>
public sealed record EvaluationResult(string Run, TrainMethod Method, long Step, string Checkpoint, bool Ica, string Set,
    int Samples, int[] FeatureUsage, DisentanglementScores Scores, string Evaluation, int? IcaSamples, double? ValidationLoss, string? Notice)
{
    /// <summary>The <see cref="Evaluation"/> of every grid image.</summary>
    public const string FullGrid = "full-grid";

    /// <summary>The <see cref="Evaluation"/> of uniform draws.</summary>
    public const string Sampled = "sampled";

    /// <summary>The name shared by this evaluation's files: <c>{checkpoint}[-ica][-full-grid]-{set}</c>, e.g. <c>best-uniform</c>
    /// (<c>eval-best-uniform.json</c>, <c>features-best-uniform.npy</c>, <c>latents-best-uniform.npy</c>).</summary>
    public string Name => RunFolder.EvaluationName(Checkpoint, Ica, Set, Evaluation == FullGrid);
}
