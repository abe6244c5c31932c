using Disentangle.Training;

namespace Disentangle.Runs;

/// <summary>One line of <c>log.csv</c>: the state of training after a step.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="OuterLoss">Outer loss of the step's batch.</param>
/// <param name="SupportSize">Mean number of features used by the task predictors.</param>
/// <param name="InnerEpochs">Mean inner-solver epochs.</param>
/// <param name="InnerGap">Largest final duality gap of the inner problems.</param>
/// <param name="InnerConverged">Fraction of inner problems that reached the tolerance.</param>
/// <param name="StepsPerSecond">Throughput since the previous log line.</param>
/// <param name="ValidationLoss">Outer loss on the fixed validation tasks (evaluation steps only).</param>
/// <param name="Mcc">MCC on the evaluation set (evaluation steps only).</param>
/// <param name="R">R on the evaluation set (evaluation steps only).</param>
public sealed record TrainLogEntry(long Step, double OuterLoss, double SupportSize, double InnerEpochs, double InnerGap,
    double InnerConverged, double StepsPerSecond, double? ValidationLoss = null, double? Mcc = null, double? R = null)
{
    /// <summary>The CSV columns, in order.</summary>
    public static readonly string[] Columns =
        ["step", "outer_loss", "support_size", "inner_epochs", "inner_gap", "inner_converged", "steps_per_s", "validation_loss", "mcc", "r"];

    /// <summary>The values in <see cref="Columns"/> order (null for blanks).</summary>
    public object?[] Values() => [Step, OuterLoss, SupportSize, InnerEpochs, InnerGap, InnerConverged, StepsPerSecond, ValidationLoss, Mcc, R];
}
