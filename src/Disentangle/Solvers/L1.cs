using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>The entrywise Lasso penalty <c>ψ(w) = ‖w‖₁</c>: each of the k outputs is an independent Lasso.</summary>
/// <remarks>Prox: soft-thresholding <c>ST(v, τ) = sign(v)·max(|v| − τ, 0)</c>. For k = 1 it coincides with <see cref="GroupL2"/>.</remarks>
public sealed record L1 : INormPenalty
{
    /// <inheritdoc/>
    public double Value(ReadOnlySpan<double> block)
    {
        double s = 0;
        foreach (double v in block) s += Math.Abs(v);
        return s;
    }

    /// <inheritdoc/>
    public void Prox(ReadOnlySpan<double> v, double threshold, Span<double> destination)
    {
        for (int c = 0; c < v.Length; c++)
            destination[c] = SoftThreshold(v[c], threshold);
    }

    /// <summary>Scalar soft-thresholding <c>sign(v)·max(|v| − τ, 0)</c>.</summary>
    public static double SoftThreshold(double v, double threshold)
        => v > threshold ? v - threshold : v < -threshold ? v + threshold : 0.0;

    /// <inheritdoc/>
    public double SubdifferentialDistance(ReadOnlySpan<double> block, ReadOnlySpan<double> gradient, double lambda)
    {
        double s = 0;
        for (int c = 0; c < block.Length; c++)
        {
            double d = block[c] != 0                                    // ∂|w| = {sign w} or [−1, 1]
                ? gradient[c] + lambda * Math.Sign(block[c])
                : Math.Max(Math.Abs(gradient[c]) - lambda, 0);
            s += d * d;
        }
        return Math.Sqrt(s);
    }

    /// <inheritdoc/>
    /// <remarks><c>λ_max = ‖XᵀY‖_∞ / n</c> (largest entry over features and outputs).</remarks>
    public double LambdaMax(Matrix x, Matrix y) => NormPenalties.LambdaMax(this, x, y);

    /// <inheritdoc/>
    public int ActiveEntries(ReadOnlySpan<double> block, Span<bool> active)
    {
        int count = 0;
        for (int c = 0; c < block.Length; c++)
            if (active[c] = block[c] != 0) count++;
        return count;
    }

    /// <inheritdoc/>
    /// <remarks>|w| is linear away from 0: no curvature.</remarks>
    public void AddCurvature(ReadOnlySpan<double> block, double lambda, Span<double> destination) { }

    /// <inheritdoc/>
    public void ActiveGradient(ReadOnlySpan<double> block, Span<double> destination)
    {
        int a = 0;
        foreach (double v in block)
            if (v != 0) destination[a++] = Math.Sign(v);
    }

    /// <inheritdoc/>
    /// <remarks>The dual of ‖·‖₁ is ‖·‖_∞.</remarks>
    public double DualNorm(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (double e in v) s = Math.Max(s, Math.Abs(e));
        return s;
    }

    /// <inheritdoc/>
    public void DualNormGradient(ReadOnlySpan<double> v, Span<double> destination)
    {
        destination.Clear();
        int best = 0;
        for (int c = 1; c < v.Length; c++)
            if (Math.Abs(v[c]) > Math.Abs(v[best])) best = c;
        destination[best] = Math.Sign(v[best]);
    }
}
