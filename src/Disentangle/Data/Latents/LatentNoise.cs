namespace Disentangle.Data.Latents;

/// <summary>Fixed per-image noise on the latents (method.md §4, <c>z_noise_scale</c>): factor f of grid point (or sample) i moves by
/// <c>U[−s·gap_f/2, s·gap_f/2]</c>, drawn once per (seed, i, f), so z ↦ x stays a function.</summary>
/// <remarks>The uniform draw is a counter-based hash (SplitMix64) of (seed, grid index, factor): no table of 480,000 × 6
/// offsets, the same value every time it is asked for, on any thread. With s &lt; 1 neighbouring grid points cannot swap.</remarks>
public sealed class LatentNoise
{
    /// <summary>Creates the noise for a grid.</summary>
    /// <param name="factors">The grid (gaps come from it).</param>
    /// <param name="scale">Noise level s in [0, 1].</param>
    /// <param name="seed">Selects the fixed offsets.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is outside [0, 1].</exception>
    public LatentNoise(FactorSet factors, double scale, int seed)
    {
        ArgumentNullException.ThrowIfNull(factors);
        Guard.Between(scale, 0, 1, nameof(scale));
        Factors = factors;
        Scale = scale;
        Seed = seed;
    }

    /// <summary>The samples' factors (the grid for 3D Shapes).</summary>
    public FactorSet Factors { get; }

    /// <summary>Noise level s.</summary>
    public double Scale { get; }

    /// <summary>Seed of the fixed offsets.</summary>
    public int Seed { get; }

    /// <summary>Writes the d raw-unit offsets of grid index <paramref name="index"/>.</summary>
    public void Offsets(int index, Span<double> destination)
    {
        if ((uint)index >= (uint)Factors.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Sample index must be in [0, {Factors.Count}).");
        for (int f = 0; f < Factors.Dimension; f++)
        {
            if (Scale == 0) { destination[f] = 0; continue; }
            ulong bits = Mix(Mix(Mix((ulong)(uint)Seed) ^ (ulong)index) ^ (ulong)f);
            double u = (bits >> 11) * (1.0 / (1UL << 53));   // U[0, 1)
            destination[f] = (u - 0.5) * Scale * Factors.Gap(f);
        }
    }

    /// <summary>Writes the noisy raw factor values of grid index <paramref name="index"/> (grid values + offsets).</summary>
    public void RawValues(int index, Span<double> destination)
    {
        Span<double> offsets = stackalloc double[Factors.Dimension];
        Offsets(index, offsets);
        Factors.RawValues(index, destination);
        for (int f = 0; f < Factors.Dimension; f++) destination[f] += offsets[f];
    }

    /// <summary>Writes the standardised noisy values of grid index <paramref name="index"/>.</summary>
    public void StandardisedValues(int index, Span<double> destination)
    {
        RawValues(index, destination);
        for (int f = 0; f < Factors.Dimension; f++) destination[f] = Factors.Standardise(f, destination[f]);
    }

    private static ulong Mix(ulong x)   // SplitMix64 finaliser
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
