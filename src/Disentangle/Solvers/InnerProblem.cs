using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>One inner regression problem <c>min_W ‖XW − Y‖²_F/(2n) + λ Σ_j ψ(W_j)</c> (method.md §3, Eq. 4).</summary>
/// <param name="X">Features, shape (n, m).</param>
/// <param name="Y">Targets, shape (n, k).</param>
/// <param name="Lambda">Regularisation λ ≥ 0 (see <see cref="IInnerSolver.LambdaFromRatio"/> for λ = c·scale(X, Y)).</param>
public sealed record InnerProblem(Matrix X, Matrix Y, double Lambda);
