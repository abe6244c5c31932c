namespace Disentangle.Data.Latents;

/// <summary>Options of <c>disentangle pairplot</c> (Figure 7: pair plots of the latent distributions).</summary>
/// <param name="Latents">Latent distribution (<c>uniform</c>, <c>gauss_ρ</c>, <c>harder_gauss_ρ</c>).</param>
/// <param name="LatentNoise">Latent noise s ∈ [0, 1] (continuous values between the grid points).</param>
/// <param name="Samples">Samples drawn.</param>
/// <param name="Seed">Seed of the draws.</param>
/// <param name="Out">File to write (its extension is replaced by <paramref name="Format"/>'s).</param>
/// <param name="Format">PNG, SVG or PDF.</param>
public sealed record LatentPairPlotOptions(string Latents = "harder_gauss_0.9", double LatentNoise = 1.0, int Samples = 2_000, long Seed = 0,
    string Out = "pairplot.png", Plots.FigureFormat Format = Plots.FigureFormat.Png)
{
    /// <summary>Draws the standardised latents (Samples × 6, row-major) of the distribution with the latent noise.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Samples &lt; 1 or noise outside [0, 1].</exception>
    public double[] Draw()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Samples, 1, nameof(Samples));
        if (!(LatentNoise is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(LatentNoise), LatentNoise, "The latent noise s must lie in [0, 1].");
        var distribution = LatentDistributions.Parse(Latents, ShapesFactors.Shapes3D);
        var noise = new LatentNoise(ShapesFactors.Shapes3D, LatentNoise, 0);
        var indices = new int[Samples];
        distribution.Sample(new Tensors.SeededRandom(Seed), indices);
        var values = new double[Samples * ShapesFactors.FactorCount];
        for (int i = 0; i < Samples; i++) noise.StandardisedValues(indices[i], values.AsSpan(i * ShapesFactors.FactorCount, ShapesFactors.FactorCount));
        return values;
    }
}
