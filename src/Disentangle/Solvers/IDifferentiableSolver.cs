using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>A solver differentiated implicitly: <c>Solve</c> finds w*(θ) and <c>Vjp</c> pulls a cotangent back to θ.</summary>
/// <remarks>jaxopt's <c>root_vjp</c>: with F(w*, θ) = 0 the optimality condition, solve <c>Aᵀu = −v</c>, A = ∂F/∂w, and return
/// <c>uᵀ ∂F/∂θ</c>.</remarks>
/// <typeparam name="TProblem">The inputs θ.</typeparam>
/// <typeparam name="TSolution">The solution, carrying what the backward pass needs.</typeparam>
/// <typeparam name="TGradient">Gradients with respect to every input of the problem.</typeparam>
public interface IDifferentiableSolver<in TProblem, TSolution, out TGradient>
{
    /// <summary>Solves the problem.</summary>
    TSolution Solve(TProblem problem);

    /// <summary>Returns <c>v ↦ (∂w*/∂θ)ᵀ v</c> for every input θ of <paramref name="problem"/>.</summary>
    /// <param name="problem">The problem that was solved.</param>
    /// <param name="solution">Its solution, as returned by <see cref="Solve"/>.</param>
    /// <param name="cotangent">v = ∂L/∂w*, the shape of the coefficients.</param>
    TGradient Vjp(TProblem problem, TSolution solution, Matrix cotangent);
}
