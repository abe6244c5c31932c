using Disentangle.Tensors;

namespace Disentangle.Data.Latents;

/// <summary>The correlated standard normal <c>N(0, Σ_ρ)</c> of the <c>gauss_ρ</c> and <c>harder_gauss_ρ</c> latent
/// distributions, in d dimensions.</summary>
public static class CorrelatedNormal
{
    /// <summary>Σ_ρ of size d: Toeplitz <c>ρ^|i−j|</c> or equicorrelated <c>(1 − ρ)I + ρ11ᵀ</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">d below 1 or ρ outside [0, 1).</exception>
    public static Matrix Covariance(int dimension, double rho, CorrelationStructure structure)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (!(rho >= 0 && rho < 1))
            throw new ArgumentOutOfRangeException(nameof(rho), rho, $"The latent correlation ρ must be in [0, 1) (the paper uses 0 … 0.99); got {rho}.");
        var sigma = new Matrix(dimension, dimension);
        for (int i = 0; i < dimension; i++)
            for (int j = 0; j < dimension; j++)
                sigma[i, j] = i == j ? 1.0 : structure == CorrelationStructure.Toeplitz ? Math.Pow(rho, Math.Abs(i - j)) : rho;
        return sigma;
    }

    /// <summary>Draws <c>z = L g</c>, <c>g ~ N(0, I)</c>: a sample of <c>N(0, L Lᵀ)</c> for the lower Cholesky factor L.</summary>
    public static void Draw(Matrix lower, Random random, Span<double> z)
    {
        ArgumentNullException.ThrowIfNull(lower);
        int n = lower.Rows;
        Span<double> g = stackalloc double[n];
        for (int i = 0; i < n; i++) g[i] = random.NextGaussian();
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int k = 0; k <= i; k++) s += lower[i, k] * g[k];
            z[i] = s;
        }
    }
}
