namespace Disentangle.Data.Latents;

/// <summary>The covariance shape of <see cref="GaussianLatents"/>.</summary>
public enum CorrelationStructure
{
    /// <summary><c>Σ_ij = ρ^|i−j|</c>: neighbouring factors correlate most (reference name <c>gauss_ρ</c>).</summary>
    Toeplitz,

    /// <summary><c>Σ = (1 − ρ)I + ρ11ᵀ</c>: every pair correlates by ρ (reference name <c>harder_gauss_ρ</c>).</summary>
    Equicorrelated,
}
