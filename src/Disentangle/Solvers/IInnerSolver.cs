using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>An inner solver of the bilevel problem (Lasso, group Lasso or Ridge), with batched solves and the λ scaling.</summary>
public interface IInnerSolver : IBatchedSolver<InnerProblem, InnerSolution, InnerGradient>
{
    /// <summary>Solves with the given starting coefficients (m, k), or from zero when null.</summary>
    InnerSolution Solve(InnerProblem problem, Matrix? warmStart);

    /// <summary>λ = c·scale(X, Y), computed without gradient (Lasso: λ_max; Ridge: ‖X‖²_F/n; method.md §3).</summary>
    double LambdaFromRatio(Matrix x, Matrix y, double ratio);

    /// <summary>Adds the path through λ = c·scale(X, Y) to a gradient (for when λ is not held fixed; the reference stops it).</summary>
    /// <returns>A gradient with <c>DX += c·DLambda·∂scale/∂X</c> and <c>DY += c·DLambda·∂scale/∂Y</c>.</returns>
    InnerGradient ThroughLambdaScale(InnerProblem problem, double ratio, InnerGradient gradient);
}
