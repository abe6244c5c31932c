namespace Disentangle.Data.Latents;

/// <summary>Builds latent distributions from the reference names: <c>uniform</c>, <c>gauss_ρ</c>, <c>harder_gauss_ρ</c>.</summary>
public static class LatentDistributions
{
    private static NamedChoices<ILatentDistribution> Choices(FactorSet factors) => new("latent distribution",
        new("uniform", "uniform", NamedChoices<ILatentDistribution>.Suffix.None, _ => new UniformLatents(factors)),
        new("gauss", "gauss_ρ (Σ_ij = ρ^|i−j|, ρ in [0, 1))", NamedChoices<ILatentDistribution>.Suffix.Required,
            rho => Gaussian(factors, rho!.Value, CorrelationStructure.Toeplitz)),
        new("harder_gauss", "harder_gauss_ρ (Σ = (1−ρ)I + ρ11ᵀ, ρ in [0, 1))", NamedChoices<ILatentDistribution>.Suffix.Required,
            rho => Gaussian(factors, rho!.Value, CorrelationStructure.Equicorrelated)));

    // On the 3D Shapes grid, the density at each grid point (the reference); over a user's samples, the nearest sample to
    // a Gaussian draw (docs/own-data.md says why).
    private static ILatentDistribution Gaussian(FactorSet factors, double rho, CorrelationStructure structure) =>
        factors is ShapesFactors grid ? new GaussianLatents(grid, rho, structure) : new NearestSampleLatents(factors, rho, structure);

    /// <summary>The valid name forms, for help texts.</summary>
    public static string Usage => Choices(ShapesFactors.Shapes3D).Usage;

    /// <summary>Parses a reference name, e.g. <c>harder_gauss_0.9</c>, into a distribution over <paramref name="factors"/>
    /// (the real grid by default; a user's samples give <see cref="NearestSampleLatents"/> for the Gaussians).</summary>
    /// <exception cref="ArgumentException">Unknown name or malformed number (the message lists the valid forms).</exception>
    /// <exception cref="ArgumentOutOfRangeException">ρ outside [0, 1).</exception>
    public static ILatentDistribution Parse(string name, FactorSet? factors = null) =>
        Choices(factors ?? ShapesFactors.Shapes3D).Parse(name, nameof(name));
}
