using Disentangle.Tensors;

namespace Disentangle.Solvers.GroupSparseSvm;

/// <summary>The gradient of a loss through a <see cref="GroupSparseSvmDual"/> solve with respect to the support features.</summary>
/// <param name="DX">∂L/∂X, shape (n, p).</param>
/// <param name="FaceDimension">Dimension of the simplex face the dual solution lies on (size of the implicit system).</param>
/// <param name="Rank">Numerical rank of the implicit system (below <paramref name="FaceDimension"/> when the dual solution
/// is not unique; the pseudo-inverse is used then).</param>
public sealed record GroupSparseSvmGradient(Matrix DX, int FaceDimension, int Rank) : IDesignGradient;
