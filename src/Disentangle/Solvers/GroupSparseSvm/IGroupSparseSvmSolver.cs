using Disentangle.Tensors;

namespace Disentangle.Solvers.GroupSparseSvm;

/// <summary>A solver of the few-shot head's group-sparse SVM (<see cref="GroupSparseSvmProblem"/>): our exact dual
/// (<see cref="GroupSparseSvmDual"/>) or the released code's regularised, truncated one (<see cref="ProjectedGradientSvmDual"/>).</summary>
public interface IGroupSparseSvmSolver : IBatchedSolver<GroupSparseSvmProblem, GroupSparseSvmSolution, GroupSparseSvmGradient>
{
    /// <summary>Threads of batched solves: −1 follows the process policy; a positive value is capped by it.</summary>
    int MaxDegreeOfParallelism { get; }

    /// <summary>λ₁max of the problem this solver solves: the smallest λ₁ whose solution is W = 0.</summary>
    /// <param name="x">Support features, shape (n, p).</param>
    /// <param name="labels">Classes, length n, in [0, classes).</param>
    /// <param name="classes">N ≥ 2.</param>
    /// <param name="lambda2">λ₂ of the problem (the exact dual's λ₁max does not depend on it).</param>
    /// <exception cref="ArgumentException">Malformed inputs (as for a problem).</exception>
    GroupSparseSvmLambdaMax LambdaMax(Matrix x, int[] labels, int classes, double lambda2);
}
