using Disentangle.Metrics;
using Disentangle.Training;

namespace Disentangle.Runs;

/// <summary>The scores of one evaluation of a run on one evaluation set: the schema of every <c>eval-*.json</c> file,
/// written alike by <c>train</c> (its end-of-training evaluation) and <c>evaluate</c>.</summary>
/// <param name="Run">The run folder.</param>
/// <param name="Method">The run's method.</param>
/// <param name="Step">The evaluated parameters' step.</param>
/// <param name="Checkpoint"><c>best</c> or <c>last</c> (<c>evaluate --checkpoint</c>), or <c>train</c>: the evaluation
/// <c>train</c> itself runs on the final parameters, on its own <c>--eval-samples</c> uniform set.</param>
/// <param name="Ica">Whether FastICA was applied to the features first.</param>
/// <param name="Set"><c>uniform</c> (the reference's out-of-distribution grid) or the training distribution's name.</param>
/// <param name="Samples">Samples of the set.</param>
/// <param name="FeatureUsage">Per feature, how many task predictors used it during training.</param>
/// <param name="Scores">MCC, R, DCI, …</param>
public sealed record EvaluationResult(string Run, TrainMethod Method, long Step, string Checkpoint, bool Ica, string Set,
    int Samples, int[] FeatureUsage, DisentanglementScores Scores)
{
    /// <summary>The name shared by this evaluation's files: <c>{checkpoint}[-ica]-{set}</c>, e.g. <c>best-uniform</c>
    /// (<c>eval-best-uniform.json</c>, <c>features-best-uniform.npy</c>, <c>latents-best-uniform.npy</c>).</summary>
    public string Name => RunFolder.EvaluationName(Checkpoint, Ica, Set);
}
