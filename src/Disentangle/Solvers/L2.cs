using System.Numerics.Tensors;
using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>The Ridge penalty <c>ψ(w) = ½‖w‖²₂</c>, so <c>λΣ_j ψ(W_j) = (λ/2)‖W‖²_F</c> (inner-Ridge of method.md §3).</summary>
/// <remarks>Prox: <c>v/(1 + τ)</c>. Every entry is active and the curvature is <c>λI</c>; <see cref="RidgeSolver"/> solves
/// this problem in closed form.</remarks>
public sealed record L2 : IPenalty
{
    /// <inheritdoc/>
    public double Value(ReadOnlySpan<double> block) => 0.5 * TensorPrimitives.Dot(block, block);

    /// <inheritdoc/>
    public void Prox(ReadOnlySpan<double> v, double threshold, Span<double> destination)
        => TensorPrimitives.Multiply(v, 1 / (1 + threshold), destination);

    /// <inheritdoc/>
    public double SubdifferentialDistance(ReadOnlySpan<double> block, ReadOnlySpan<double> gradient, double lambda)
    {
        double s = 0;
        for (int c = 0; c < block.Length; c++)
        {
            double d = gradient[c] + lambda * block[c];                 // ∇(λ/2)‖w‖² = λw
            s += d * d;
        }
        return Math.Sqrt(s);
    }

    /// <inheritdoc/>
    /// <remarks>Ridge shrinks but never zeroes: 0 when <c>XᵀY = 0</c>, otherwise +∞.</remarks>
    public double LambdaMax(Matrix x, Matrix y)
    {
        InputChecks.CheckDesign(x, y);
        var xty = Matrix.Multiply(x, y, transposeA: true);
        return TensorPrimitives.MaxMagnitude<double>(xty.Data) == 0 ? 0 : double.PositiveInfinity;
    }

    /// <inheritdoc/>
    public int ActiveEntries(ReadOnlySpan<double> block, Span<bool> active)
    {
        active[..block.Length].Fill(true);
        return block.Length;
    }

    /// <inheritdoc/>
    public void AddCurvature(ReadOnlySpan<double> block, double lambda, Span<double> destination)
    {
        int k = block.Length;
        for (int a = 0; a < k; a++) destination[a * k + a] += lambda;
    }

    /// <inheritdoc/>
    public void ActiveGradient(ReadOnlySpan<double> block, Span<double> destination) => block.CopyTo(destination);
}
