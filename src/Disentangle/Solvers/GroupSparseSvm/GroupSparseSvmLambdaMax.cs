namespace Disentangle.Solvers.GroupSparseSvm;

/// <summary>λ₁max of a group-sparse SVM problem: the smallest λ₁ for which W* = 0, with a certified bracket.</summary>
/// <remarks><c>W* = 0</c> exactly when <c>0 ∈ ∂P(0)</c>, i.e. when some β with rows in the simplex over the wrong classes
/// (<c>β_{i y_i} = 0</c>) has <c>‖(Xᵀ(Y − β))_j‖ ≤ λ₁</c> for every feature j, so
/// <c>λ₁max = min_β max_j ‖(Xᵀ(Y − β))_j‖</c>, independent of λ₂. Unlike the Lasso's λ_max this is not closed form for
/// N &gt; 2 (the hinge is not differentiable at W = 0): it is the value of a small convex min–max problem, bracketed by
/// <see cref="LowerBound"/> ≤ λ₁max ≤ <see cref="Value"/>.</remarks>
/// <param name="Value">A certified upper bound: at λ₁ = Value the solution is W = 0 (attained by a feasible β).</param>
/// <param name="LowerBound">A certified lower bound: for λ₁ &lt; LowerBound the solution is not 0.</param>
/// <param name="Iterations">Iterations of the smoothed accelerated solver (0 when closed form, N = 2).</param>
/// <param name="Converged">True when <c>Value − LowerBound ≤ tolerance · Value</c>.</param>
public sealed record GroupSparseSvmLambdaMax(double Value, double LowerBound, int Iterations, bool Converged);
