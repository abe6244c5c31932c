namespace Disentangle.Optim;

/// <summary>The same learning rate at every step.</summary>
public sealed class ConstantSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is negative or not finite.</exception>
    public ConstantSchedule(double rate)
    {
        Guard.NonNegative(rate, nameof(rate));
        BaseRate = rate;
    }

    /// <summary>The learning rate.</summary>
    public double BaseRate { get; }

    /// <inheritdoc/>
    public double Rate(int stepOrEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepOrEpoch);
        return BaseRate;
    }
}
