using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>The vector–Jacobian product of a solve: the outer gradient pulled back to the inputs of the problem.</summary>
/// <param name="DX">∂L/∂X, shape (n, m); non-zero only on the support's columns for sparse penalties.</param>
/// <param name="DY">∂L/∂Y, shape (n, k).</param>
/// <param name="DLambda">∂L/∂λ (used only when the gradient flows through λ = c·scale(X, Y); by default it does not).</param>
/// <param name="SystemSize">Size a of the linear system solved (number of active coefficients; 0 for an empty support).</param>
/// <param name="SystemRank">Numerical rank of that system. When it is below <paramref name="SystemSize"/> the system was
/// singular (e.g. collinear active features) and its minimum-norm least-squares solution (pseudo-inverse) was used.</param>
public sealed record InnerGradient(Matrix DX, Matrix DY, double DLambda, int SystemSize, int SystemRank) : IDesignGradient;
