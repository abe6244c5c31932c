namespace Disentangle.Optim;

/// <summary>Multiplies the learning rate by γ every <c>k</c> steps (PyTorch's StepLR).</summary>
/// <remarks><c>rate(t) = base · γ^⌊t/k⌋</c>.</remarks>
public sealed class StepSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="baseRate">Rate for steps 0 … k−1 (≥ 0).</param>
    /// <param name="period">k, the number of steps between decays (≥ 1).</param>
    /// <param name="gamma">Factor applied at each decay (≥ 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public StepSchedule(double baseRate, int period, double gamma)
    {
        Guard.NonNegative(baseRate, nameof(baseRate));
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Guard.NonNegative(gamma, nameof(gamma));
        (BaseRate, Period, Gamma) = (baseRate, period, gamma);
    }

    /// <summary>Rate before the first decay.</summary>
    public double BaseRate { get; }

    /// <summary>Steps between decays.</summary>
    public int Period { get; }

    /// <summary>Decay factor.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public double Rate(int stepOrEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepOrEpoch);
        return BaseRate * Math.Pow(Gamma, stepOrEpoch / Period);
    }
}
