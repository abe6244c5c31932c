using System.Numerics.Tensors;
using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>The group-Lasso penalty <c>ψ(w) = ‖w‖₂</c> on each feature row, so <c>Σ_j ψ(W_j) = ‖W‖_{2,1}</c>
/// (the inner-Lasso of method.md §3).</summary>
/// <remarks>Prox: block soft-thresholding <c>BST(v, τ) = v·max(0, 1 − τ/‖v‖)</c>. With k = 1 it is the Lasso.</remarks>
public sealed record GroupL2 : INormPenalty
{
    /// <inheritdoc/>
    public double Value(ReadOnlySpan<double> block) => TensorPrimitives.Norm(block);

    /// <inheritdoc/>
    public void Prox(ReadOnlySpan<double> v, double threshold, Span<double> destination)
    {
        if (v.Length == 1) { destination[0] = L1.SoftThreshold(v[0], threshold); return; }
        double norm = TensorPrimitives.Norm(v);
        double scale = norm > threshold ? 1 - threshold / norm : 0;     // BST(v, τ) = v·max(0, 1 − τ/‖v‖)
        TensorPrimitives.Multiply(v, scale, destination);
    }

    /// <inheritdoc/>
    public double SubdifferentialDistance(ReadOnlySpan<double> block, ReadOnlySpan<double> gradient, double lambda)
    {
        double norm = TensorPrimitives.Norm(block);
        if (norm == 0) return Math.Max(TensorPrimitives.Norm(gradient) - lambda, 0);   // ∂‖0‖ = unit ball
        double s = 0;
        for (int c = 0; c < block.Length; c++)                                       // ∂‖w‖ = {w/‖w‖}
        {
            double d = gradient[c] + lambda * block[c] / norm;
            s += d * d;
        }
        return Math.Sqrt(s);
    }

    /// <inheritdoc/>
    /// <remarks><c>λ_max = max_j ‖X_jᵀY‖₂ / n</c>.</remarks>
    public double LambdaMax(Matrix x, Matrix y) => NormPenalties.LambdaMax(this, x, y);

    /// <inheritdoc/>
    public int ActiveEntries(ReadOnlySpan<double> block, Span<bool> active)
    {
        bool nonzero = block.IndexOfAnyExcept(0.0) >= 0;
        active[..block.Length].Fill(nonzero);
        return nonzero ? block.Length : 0;
    }

    /// <inheritdoc/>
    /// <remarks>Hessian of λ‖w‖: <c>λ (I − w wᵀ/‖w‖²) / ‖w‖</c>.</remarks>
    public void AddCurvature(ReadOnlySpan<double> block, double lambda, Span<double> destination)
    {
        int k = block.Length;
        double norm = TensorPrimitives.Norm(block);
        if (norm == 0) return;
        double scale = lambda / norm, norm2 = norm * norm;
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++)
                destination[a * k + b] += scale * ((a == b ? 1 : 0) - block[a] * block[b] / norm2);
    }

    /// <inheritdoc/>
    public void ActiveGradient(ReadOnlySpan<double> block, Span<double> destination)
    {
        double norm = TensorPrimitives.Norm(block);
        if (norm == 0) return;
        TensorPrimitives.Multiply(block, 1 / norm, destination[..block.Length]);    // ∇‖w‖ = w/‖w‖
    }

    /// <inheritdoc/>
    /// <remarks>‖·‖₂ is self-dual.</remarks>
    public double DualNorm(ReadOnlySpan<double> v) => TensorPrimitives.Norm(v);

    /// <inheritdoc/>
    public void DualNormGradient(ReadOnlySpan<double> v, Span<double> destination)
    {
        double norm = TensorPrimitives.Norm(v);
        if (norm == 0) { destination[..v.Length].Clear(); return; }
        TensorPrimitives.Multiply(v, 1 / norm, destination[..v.Length]);
    }
}
