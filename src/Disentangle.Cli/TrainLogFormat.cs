using Disentangle.Runs;
using Disentangle.Training;

namespace Disentangle.Cli;

/// <summary>The one-line form of a training log entry that <c>train</c> and each sweep run print.</summary>
public static class TrainLogFormat
{
    /// <summary><c>step s/N loss … support … | val … MCC … R … | rate ETA</c>; the gap reads "-" where the inner problem has
    /// none (least squares, c = 0).</summary>
    public static string Line(TrainLogEntry e, int steps)
    {
        var eta = e.StepsPerSecond > 0 ? TimeSpan.FromSeconds((steps - e.Step) / e.StepsPerSecond) : TimeSpan.Zero;
        string evaluation = e.Mcc is null ? "" : $" | val {e.ValidationLoss:G4} MCC {e.Mcc:F3} R {e.R:F3}";
        return $"step {e.Step}/{steps} loss {e.OuterLoss:G4} support {e.SupportSize:F2} epochs {e.InnerEpochs:F1} gap {(double.IsNaN(e.InnerGap) ? "-" : e.InnerGap.ToString("G2"))}"
            + $"{evaluation} | {e.StepsPerSecond:F2} steps/s ETA {eta:hh\\:mm\\:ss}";
    }
}
