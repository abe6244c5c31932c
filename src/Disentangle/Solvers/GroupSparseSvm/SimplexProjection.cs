namespace Disentangle.Solvers.GroupSparseSvm;

/// <summary>Euclidean projection onto the probability simplex <c>Δ = {b ≥ 0, Σ b = 1}</c>, and its Jacobian.</summary>
/// <remarks><c>Proj_Δ(v) = max(v − τ, 0)</c> with τ chosen so the result sums to 1, found by sorting (Held, Wolfe &amp;
/// Crowder 1974; Duchi et al. 2008), O(k log k). The map is piecewise linear: where the support S of the result is stable,
/// its Jacobian is <c>diag(1_S) − 1_S 1_Sᵀ/|S|</c>, the orthogonal projection onto the face's tangent space.</remarks>
public static class SimplexProjection
{
    /// <summary>Writes <c>Proj_Δ(v)</c>.</summary>
    /// <param name="v">The point, length k ≥ 1; finite.</param>
    /// <param name="destination">The projection, length k; may alias <paramref name="v"/>.</param>
    /// <exception cref="ArgumentException">The lengths differ or v is empty.</exception>
    public static void Project(ReadOnlySpan<double> v, Span<double> destination)
    {
        if (v.Length == 0 || destination.Length != v.Length)
            throw new ArgumentException($"Simplex projection of a vector of length {v.Length} into {destination.Length} values; the lengths must match and be ≥ 1.", nameof(destination));
        Span<double> sorted = v.Length <= 64 ? stackalloc double[v.Length] : new double[v.Length];
        double tau = Threshold(v, sorted);
        for (int c = 0; c < v.Length; c++) destination[c] = Math.Max(v[c] - tau, 0.0);
    }

    /// <summary>Projects only the entries where <paramref name="free"/> is true onto the simplex over those entries;
    /// the other entries of <paramref name="destination"/> are set to 0.</summary>
    /// <param name="v">The point, length k.</param>
    /// <param name="free">Which entries belong to the simplex (at least one).</param>
    /// <param name="destination">The result, length k; may alias <paramref name="v"/>.</param>
    public static void ProjectOnFace(ReadOnlySpan<double> v, ReadOnlySpan<bool> free, Span<double> destination)
    {
        int k = v.Length, count = 0;
        Span<double> packed = k <= 64 ? stackalloc double[k] : new double[k];
        for (int c = 0; c < k; c++)
            if (free[c]) packed[count++] = v[c];
        if (count == 0) throw new ArgumentException("The face has no free entry.", nameof(free));
        Span<double> sorted = k <= 64 ? stackalloc double[count] : new double[count];
        double tau = Threshold(packed[..count], sorted);
        for (int c = 0; c < k; c++) destination[c] = free[c] ? Math.Max(v[c] - tau, 0.0) : 0.0;
    }

    /// <summary>The threshold τ with <c>Σ max(v − τ, 0) = 1</c>.</summary>
    private static double Threshold(ReadOnlySpan<double> v, Span<double> sorted)
    {
        v.CopyTo(sorted);
        sorted.Sort();                                                  // ascending; scan from the largest
        double cumulative = 0, tau = 0;
        int k = v.Length;
        for (int r = 1; r <= k; r++)
        {
            double u = sorted[k - r];
            cumulative += u;
            double t = (cumulative - 1) / r;                            // τ if the r largest entries are the support
            if (u > t) tau = t;                                         // u_r − τ_r > 0: r is still in the support
            else break;
        }
        return tau;
    }

    /// <summary>Applies the Jacobian of the projection at a result <paramref name="projection"/> to <paramref name="v"/>:
    /// <c>(diag(1_S) − 1_S 1_Sᵀ/|S|) v</c> with S the support of the projection (symmetric, so it is also the VJP).</summary>
    public static void JacobianProduct(ReadOnlySpan<double> projection, ReadOnlySpan<double> v, Span<double> destination)
    {
        double sum = 0;
        int size = 0;
        for (int c = 0; c < v.Length; c++)
            if (projection[c] > 0) { sum += v[c]; size++; }
        double mean = size > 0 ? sum / size : 0;
        for (int c = 0; c < v.Length; c++) destination[c] = projection[c] > 0 ? v[c] - mean : 0.0;
    }
}
