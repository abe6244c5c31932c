namespace Disentangle.Solvers.GroupSparseSvm;

/// <summary>Options of <see cref="GroupSparseSvmDual"/> (validated once by its constructor).</summary>
/// <param name="Tolerance">Stop when the duality gap ≤ <c>Tolerance·n</c>, i.e. relative to <c>P(0) = n</c>.</param>
/// <param name="MaxEpochs">Largest number of passes over the samples.</param>
/// <param name="GapFrequency">Epochs between two duality-gap evaluations (each costs about one epoch).</param>
/// <param name="LambdaMaxTolerance">Relative accuracy of λ₁max (its certified upper and lower bounds differ by at most
/// this fraction).</param>
/// <param name="LambdaMaxIterations">Largest number of iterations of the λ₁max search.</param>
/// <param name="MaxDegreeOfParallelism">Threads used by batched solves: −1 follows the process policy (<see cref="Disentangle.Tensors.Parallelism.MaxThreads"/>); a positive value is capped by it.</param>
public sealed record GroupSparseSvmOptions(
    double Tolerance = 1e-6,
    int MaxEpochs = 2_000,
    int GapFrequency = 5,
    double LambdaMaxTolerance = 1e-3,
    int LambdaMaxIterations = 20_000,
    int MaxDegreeOfParallelism = -1)
{
    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it and its value).</exception>
    public void Validate()
    {
        Guard.Iterations(Tolerance, MaxEpochs, GapFrequency, MaxDegreeOfParallelism);
        if (!double.IsFinite(LambdaMaxTolerance) || LambdaMaxTolerance <= 0 || LambdaMaxTolerance >= 1)
            throw new ArgumentOutOfRangeException(nameof(LambdaMaxTolerance), LambdaMaxTolerance, "LambdaMaxTolerance must be in (0, 1).");
        Guard.AtLeast(LambdaMaxIterations, 1, nameof(LambdaMaxIterations));
    }
}
