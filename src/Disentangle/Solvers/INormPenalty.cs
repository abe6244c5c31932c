namespace Disentangle.Solvers;

/// <summary>A penalty whose block function ψ is a norm; its dual norm gives the duality gap and the gap-safe rules.</summary>
/// <remarks>For <c>P(W) = ‖Y − XW‖²_F/(2n) + λ Σ_j ψ(W_j)</c> the dual is
/// <c>D(Θ) = ‖Y‖²/(2n) − (nλ²/2)‖Θ − Y/(nλ)‖²</c> subject to <c>ψ*(X_jᵀΘ) ≤ 1</c> for every j, with ψ* the dual norm
/// (Ndiaye et al. 2017, "Gap safe screening rules for sparsity enforcing penalties").</remarks>
public interface INormPenalty : IPenalty
{
    /// <summary>ψ*(v), the dual norm of one block.</summary>
    double DualNorm(ReadOnlySpan<double> v);

    /// <summary>Writes a subgradient of ψ* at v (the direction in which ψ*(v) grows fastest), length k.</summary>
    void DualNormGradient(ReadOnlySpan<double> v, Span<double> destination);
}
