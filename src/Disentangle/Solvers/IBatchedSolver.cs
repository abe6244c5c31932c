using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>A differentiable solver that also solves and differentiates independent problems (the tasks of a batch) in
/// parallel; each problem is handled by one thread, so results do not depend on the thread count.</summary>
public interface IBatchedSolver<TProblem, TSolution, TGradient> : IDifferentiableSolver<TProblem, TSolution, TGradient>
{
    /// <summary>Solves independent problems in parallel.</summary>
    /// <param name="problems">T problems.</param>
    /// <param name="warmStarts">Null, or T starting points (each may be null).</param>
    /// <exception cref="ArgumentException">The counts differ, or a problem is malformed (the first one's error is rethrown).</exception>
    TSolution[] SolveMany(IReadOnlyList<TProblem> problems, IReadOnlyList<Matrix?>? warmStarts = null);

    /// <summary>The VJPs of T solves, in parallel.</summary>
    /// <exception cref="ArgumentException">The counts differ.</exception>
    TGradient[] VjpMany(IReadOnlyList<TProblem> problems, IReadOnlyList<TSolution> solutions, IReadOnlyList<Matrix> cotangents);
}

/// <summary>A solution that is a linear predictor: coefficients W of shape (features, outputs).</summary>
public interface ILinearSolution
{
    /// <summary>The coefficients, shape (m, k).</summary>
    Matrix W { get; }
}

/// <summary>A gradient that holds ∂L/∂X, the pull-back to the design matrix the solver was fitted on.</summary>
public interface IDesignGradient
{
    /// <summary>∂L/∂X, shape (n, m).</summary>
    Matrix DX { get; }
}
