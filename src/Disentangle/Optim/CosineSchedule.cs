namespace Disentangle.Optim;

/// <summary>Cosine decay from the base rate to a minimum over a number of steps, after an optional linear warm-up.</summary>
/// <remarks>Warm-up (t &lt; w): <c>rate = base·(t+1)/w</c>, so the first step is not wasted and step w−1 reaches the base.
/// Then, with <c>p = (t − w)/(T − w)</c>: <c>rate = min + (base − min)(1 + cos πp)/2</c>; <c>rate = min</c> for t ≥ T
/// (Loshchilov &amp; Hutter 2017, without restarts).</remarks>
public sealed class CosineSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="baseRate">Peak rate (≥ 0).</param>
    /// <param name="totalSteps">T, the step at which the minimum is reached (&gt; <paramref name="warmupSteps"/>).</param>
    /// <param name="warmupSteps">w, linear warm-up steps (≥ 0).</param>
    /// <param name="minRate">Final rate, in [0, base].</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public CosineSchedule(double baseRate, int totalSteps, int warmupSteps = 0, double minRate = 0)
    {
        Guard.NonNegative(baseRate, nameof(baseRate));
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        if (totalSteps <= warmupSteps)
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, $"totalSteps must exceed warmupSteps ({warmupSteps}).");
        Guard.NonNegative(minRate, nameof(minRate));
        if (minRate > baseRate)
            throw new ArgumentOutOfRangeException(nameof(minRate), minRate, $"minRate must not exceed baseRate ({baseRate}).");
        (BaseRate, TotalSteps, WarmupSteps, MinRate) = (baseRate, totalSteps, warmupSteps, minRate);
    }

    /// <summary>Peak rate.</summary>
    public double BaseRate { get; }

    /// <summary>Step at which the minimum is reached.</summary>
    public int TotalSteps { get; }

    /// <summary>Linear warm-up steps.</summary>
    public int WarmupSteps { get; }

    /// <summary>Final rate.</summary>
    public double MinRate { get; }

    /// <inheritdoc/>
    public double Rate(int stepOrEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepOrEpoch);
        if (stepOrEpoch < WarmupSteps) return BaseRate * (stepOrEpoch + 1) / WarmupSteps;
        if (stepOrEpoch >= TotalSteps) return MinRate;
        double progress = (double)(stepOrEpoch - WarmupSteps) / (TotalSteps - WarmupSteps);
        return MinRate + (BaseRate - MinRate) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
