using Disentangle.Solvers;
using Disentangle.Solvers.GroupSparseSvm;
using Disentangle.Tensors;

namespace Disentangle.FewShot;

/// <summary>What the SVM head produced for one meta-batch.</summary>
/// <param name="Scores">Query scores <c>X_query,t W_t</c> stacked over tasks, shape (T·n_query, N), differentiable with
/// respect to both the support and the query features (multiply by the learned scale for logits).</param>
/// <param name="Solutions">Per task: W, β, support and convergence.</param>
/// <param name="Lambda1">Per task: the λ₁ used (<c>ratio · λ₁max</c>).</param>
/// <param name="LambdaMax">Per task: the λ₁max bracket, or null when the ratio is 0 (not computed).</param>
public sealed record SvmHeadOutput(Tensor Scores, GroupSparseSvmSolution[] Solutions, double[] Lambda1, GroupSparseSvmLambdaMax?[] LambdaMax)
{
    /// <summary>Per task, the fraction of features its W uses.</summary>
    public double[] FeatureFractions => [.. Solutions.Select(s => s.FeatureFraction)];
}
