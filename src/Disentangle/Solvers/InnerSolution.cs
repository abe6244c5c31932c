using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>The solution of an <see cref="InnerProblem"/>, carrying what the backward pass needs.</summary>
/// <param name="W">Coefficients, shape (m, k).</param>
/// <param name="Support">Features j with <c>W_j ≠ 0</c>, ascending.</param>
/// <param name="Residual">R = Y − XW, shape (n, k).</param>
/// <param name="Report">Epochs, objective, duality gap and convergence.</param>
public sealed record InnerSolution(Matrix W, int[] Support, Matrix Residual, ConvergenceReport Report) : ILinearSolution
{
    /// <summary>The factorisation a closed-form solver used, reused by its VJP (null for iterative solvers).</summary>
    internal CholeskyFactor? Factor { get; init; }

    /// <summary>True when the factorisation is of the n×n kernel <c>XXᵀ/n + λI</c> rather than the m×m Gram matrix.</summary>
    internal bool DualFactor { get; init; }
}
