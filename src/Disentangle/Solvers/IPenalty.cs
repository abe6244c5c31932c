using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>A penalty <c>λ Σ_j ψ(W_j)</c> that is separable over the rows <c>W_j ∈ R^k</c> (one block per feature) of the
/// coefficients <c>W ∈ R^{m×k}</c>.</summary>
/// <remarks>Used by the block coordinate descent loop (prox), by its convergence checks (subdifferential distance) and by the
/// implicit differentiation on the generalized support (active entries and curvature), as in skglm's penalties and
/// jaxopt's prox operators.</remarks>
public interface IPenalty
{
    /// <summary>ψ(w) for one block (without λ).</summary>
    double Value(ReadOnlySpan<double> block);

    /// <summary>Writes <c>prox_{τψ}(v) = argmin_w ½‖w − v‖² + τψ(w)</c> for one block.</summary>
    /// <param name="v">The point, length k.</param>
    /// <param name="threshold">τ ≥ 0 (λ times the step size).</param>
    /// <param name="destination">The result, length k; may alias <paramref name="v"/>.</param>
    void Prox(ReadOnlySpan<double> v, double threshold, Span<double> destination);

    /// <summary>The distance from <c>−gradient</c> to <c>λ∂ψ(w)</c>: zero exactly when the block satisfies its optimality
    /// (KKT) condition.</summary>
    /// <param name="block">w, length k.</param>
    /// <param name="gradient">The gradient of the data-fit term with respect to the block, length k.</param>
    /// <param name="lambda">λ ≥ 0.</param>
    double SubdifferentialDistance(ReadOnlySpan<double> block, ReadOnlySpan<double> gradient, double lambda);

    /// <summary>The smallest λ for which <c>W* = 0</c> minimises <c>‖XW − Y‖²_F/(2n) + λΣψ(W_j)</c>
    /// (<see cref="double.PositiveInfinity"/> when no finite λ does).</summary>
    /// <param name="x">Features, shape (n, m).</param>
    /// <param name="y">Targets, shape (n, k).</param>
    double LambdaMax(Matrix x, Matrix y);

    /// <summary>Marks the entries of one block that are free at a solution (the generalized support) and returns how many.</summary>
    /// <param name="block">w, length k.</param>
    /// <param name="active">Set to true for the active entries, length k.</param>
    int ActiveEntries(ReadOnlySpan<double> block, Span<bool> active);

    /// <summary>Adds <c>λ ∇²ψ(w)</c> restricted to the active entries (a×a, row-major, a = number of active entries).</summary>
    void AddCurvature(ReadOnlySpan<double> block, double lambda, Span<double> destination);

    /// <summary>Writes <c>∇ψ(w)</c> on the active entries (length a): the derivative of the optimality condition with respect to λ.</summary>
    void ActiveGradient(ReadOnlySpan<double> block, Span<double> destination);
}
