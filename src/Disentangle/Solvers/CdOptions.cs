namespace Disentangle.Solvers;

/// <summary>Options of the proximal block coordinate descent (validated once by the solver's constructor).</summary>
/// <param name="Tolerance">Stop when the duality gap ≤ <c>Tolerance·‖Y‖²_F/(2n)</c>, i.e. relative to the objective at
/// W = 0; scikit-learn's <c>tol</c> is relative to <c>‖Y‖²_F/n</c>, so its tol t is our Tolerance 2t.</param>
/// <param name="MaxEpochs">Largest number of passes over the features (over the working set when one is used).</param>
/// <param name="GapFrequency">Epochs between two duality-gap evaluations (each costs about one epoch).</param>
/// <param name="WorkingSets">Solve growing sub-problems on the features most likely active (celer, skglm) when there
/// are more than <paramref name="InitialWorkingSet"/> features.</param>
/// <param name="InitialWorkingSet">Smallest working-set size (it grows to twice the support).</param>
/// <param name="Screening">Discard features proved inactive by the gap-safe sphere test (Ndiaye et al. 2017).</param>
/// <param name="AndersonMemory">Iterates used by Anderson extrapolation (Bertrand &amp; Massias 2021); 0 disables it.</param>
/// <param name="MaxDegreeOfParallelism">Threads used by batched solves: −1 follows the process policy (<see cref="Disentangle.Tensors.Parallelism.MaxThreads"/>); a positive value is capped by it.</param>
public sealed record CdOptions(
    double Tolerance = 1e-8,
    int MaxEpochs = 1_000,
    int GapFrequency = 10,
    bool WorkingSets = true,
    int InitialWorkingSet = 64,
    bool Screening = true,
    int AndersonMemory = 5,
    int MaxDegreeOfParallelism = -1)
{
    /// <summary>Throws when an option is out of range; called by the consumers' constructors.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it and its value).</exception>
    public void Validate()
    {
        Guard.Iterations(Tolerance, MaxEpochs, GapFrequency, MaxDegreeOfParallelism);
        Guard.AtLeast(InitialWorkingSet, 1, nameof(InitialWorkingSet));
        if (AndersonMemory is < 0 or 1)
            throw new ArgumentOutOfRangeException(nameof(AndersonMemory), AndersonMemory, "AndersonMemory must be 0 (off) or ≥ 2.");
    }
}
