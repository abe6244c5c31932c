using Disentangle.Tensors;

namespace Disentangle.Solvers.GroupSparseSvm;

/// <summary>The solution of a <see cref="GroupSparseSvmProblem"/>: the dual point and the primal coefficients it gives.</summary>
/// <param name="W">Coefficients <c>W(β) = BST_rows(Xᵀ(Y − β), λ₁)/λ₂</c>, shape (p, N).</param>
/// <param name="Beta">Dual variables β, shape (n, N), each row in the probability simplex.</param>
/// <param name="Support">Features j with <c>W_j ≠ 0</c>, ascending.</param>
/// <param name="Report">Epochs, primal objective, duality gap and convergence.</param>
public sealed record GroupSparseSvmSolution(Matrix W, Matrix Beta, int[] Support, ConvergenceReport Report) : ILinearSolution
{
    /// <summary>Fraction of the p features the task uses (<c>|Support|/p</c>).</summary>
    public double FeatureFraction => (double)Support.Length / W.Rows;
}
