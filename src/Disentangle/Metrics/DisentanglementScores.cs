using Disentangle.Tensors;

namespace Disentangle.Metrics;

/// <summary>The scores reported for learned features against the true latents (method.md §5).</summary>
/// <param name="Mcc">MCC with Pearson correlations.</param>
/// <param name="MccSpearman">MCC with Spearman correlations.</param>
/// <param name="MccUsedFeatures">MCC restricted to the d features most often in the task supports (null when no usage was recorded).</param>
/// <param name="R">Coefficient of multiple correlation.</param>
/// <param name="DciDisentanglement">DCI disentanglement.</param>
/// <param name="DciCompleteness">DCI completeness.</param>
/// <param name="DciInformativeness">DCI informativeness (regression R²).</param>
/// <param name="MccPerFactor">|correlation| of each true factor with its matched feature.</param>
/// <param name="RPerFactor">R of each true factor.</param>
/// <param name="Assignment">The feature matched to each true factor.</param>
/// <param name="DciDisentanglementReleased">DCI disentanglement weighted as the paper's released code does
/// (<see cref="DciWeighting.ReleasedCode"/>; null in results written before it was recorded).</param>
/// <param name="DciCompletenessReleased">DCI completeness weighted as the released code does.</param>
public sealed record DisentanglementScores(double Mcc, double MccSpearman, double? MccUsedFeatures, double R,
    double DciDisentanglement, double DciCompleteness, double DciInformativeness,
    double[] MccPerFactor, double[] RPerFactor, int[] Assignment,
    double? DciDisentanglementReleased = null, double? DciCompletenessReleased = null)
{
    /// <summary>DCI disentanglement under <paramref name="weighting"/> (NaN when a result file predates the released-code score).</summary>
    public double DciDisentanglementBy(DciWeighting weighting) =>
        weighting == DciWeighting.DisentanglementLib ? DciDisentanglement : DciDisentanglementReleased ?? double.NaN;

    /// <summary>Computes every score of <paramref name="features"/> (N × m) against <paramref name="latents"/> (N × d).</summary>
    /// <param name="latents">True latents.</param>
    /// <param name="features">Learned features.</param>
    /// <param name="usageCounts">Per feature, how many task predictors used it; null to skip the used-features MCC.</param>
    public static DisentanglementScores Compute(Matrix latents, Matrix features, IReadOnlyList<int>? usageCounts = null)
    {
        var report = DisentanglementReport.Evaluate(latents, features);
        var released = Dci.FromImportance(report.Dci.Importance, DciWeighting.ReleasedCode);
        var spearman = Metrics.Mcc.Compute(latents, features, CorrelationKind.Spearman);
        double? used = usageCounts is null || usageCounts.Sum() == 0 ? null
            : Metrics.Mcc.ComputeOnUsedFeatures(latents, features, usageCounts).Mcc;
        return new DisentanglementScores(report.Mcc.Mcc, spearman.Mcc, used, report.MultipleCorrelation.R,
            report.Dci.Disentanglement, report.Dci.Completeness, report.Dci.Informativeness,
            report.Mcc.PerFactor, report.MultipleCorrelation.PerFactor, report.Mcc.Assignment,
            released.Disentanglement, released.Completeness);
    }
}
