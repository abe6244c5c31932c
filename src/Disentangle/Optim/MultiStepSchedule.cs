namespace Disentangle.Optim;

/// <summary>A piecewise-constant learning rate: <c>base · factor[i]</c> from step <c>start[i]</c> until the next start.</summary>
/// <remarks>MetaOptNet's recipe (<see cref="MetaOptNet"/>): lr × {1, 0.06, 0.012, 0.0024} from epochs {0, 20, 40, 50}.</remarks>
public sealed class MultiStepSchedule : ILearningRateSchedule
{
    private readonly int[] _starts;
    private readonly double[] _factors;

    /// <summary>Creates the schedule.</summary>
    /// <param name="baseRate">Base learning rate (≥ 0).</param>
    /// <param name="starts">First step of each piece: strictly increasing, starting at 0.</param>
    /// <param name="factors">Multiplier of each piece (≥ 0), as many as <paramref name="starts"/>.</param>
    /// <exception cref="ArgumentException">The starts are empty, do not begin at 0, are not increasing, or the counts differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A rate or factor is negative or not finite.</exception>
    public MultiStepSchedule(double baseRate, IReadOnlyList<int> starts, IReadOnlyList<double> factors)
    {
        Guard.NonNegative(baseRate, nameof(baseRate));
        ArgumentNullException.ThrowIfNull(starts);
        ArgumentNullException.ThrowIfNull(factors);
        if (starts.Count == 0 || starts[0] != 0)
            throw new ArgumentException($"The first piece must start at step 0 (starts: [{string.Join(", ", starts)}]).", nameof(starts));
        if (factors.Count != starts.Count)
            throw new ArgumentException($"There are {starts.Count} starts but {factors.Count} factors.", nameof(factors));
        for (int i = 1; i < starts.Count; i++)
            if (starts[i] <= starts[i - 1])
                throw new ArgumentException($"Starts must increase strictly: [{string.Join(", ", starts)}].", nameof(starts));
        for (int i = 0; i < factors.Count; i++) Guard.NonNegative(factors[i], $"{nameof(factors)}[{i}]");
        BaseRate = baseRate;
        _starts = [.. starts];
        _factors = [.. factors];
    }

    /// <summary>MetaOptNet's schedule (Lee et al. 2019): base × {1, 0.06, 0.012, 0.0024} from epochs {0, 20, 40, 50}.</summary>
    public static MultiStepSchedule MetaOptNet(double baseRate = 0.1) => new(baseRate, [0, 20, 40, 50], [1, 0.06, 0.012, 0.0024]);

    /// <summary>The base learning rate.</summary>
    public double BaseRate { get; }

    /// <summary>First step of each piece.</summary>
    public IReadOnlyList<int> Starts => _starts;

    /// <summary>Multiplier of each piece.</summary>
    public IReadOnlyList<double> Factors => _factors;

    /// <inheritdoc/>
    public double Rate(int stepOrEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepOrEpoch);
        int i = Array.BinarySearch(_starts, stepOrEpoch);
        if (i < 0) i = ~i - 1;   // last start ≤ step
        return BaseRate * _factors[i];
    }
}
