namespace Disentangle.Data;

/// <summary>The ground-truth factors of a data set's samples: d factors per sample, indexed 0 … <see cref="Count"/> − 1,
/// with the standardisation that turns raw values into latents (method.md §4).</summary>
/// <remarks>Two kinds: <see cref="ShapesFactors"/>, the 3D Shapes grid (a sample index is a grid index), and
/// <see cref="OwnData.FactorTable"/>, the factors of a user's file, one row per sample.</remarks>
public abstract class FactorSet
{
    /// <summary>Number of factors d.</summary>
    public abstract int Dimension { get; }

    /// <summary>Factor names in order (<c>floor_hue</c>, … for 3D Shapes; <c>factor_0</c>, … for a user's file).</summary>
    public abstract IReadOnlyList<string> FactorNames { get; }

    /// <summary>Number of samples.</summary>
    public abstract int Count { get; }

    /// <summary>Writes the d raw factor values of sample <paramref name="index"/>.</summary>
    public abstract void RawValues(int index, Span<double> destination);

    /// <summary>Maps a raw value of factor <paramref name="factor"/> to its standardised value <c>(v − mean)/std</c>.</summary>
    public abstract double Standardise(int factor, double raw);

    /// <summary>Mean spacing of factor <paramref name="factor"/>'s distinct values (0 for a single value): the unit of the
    /// latent noise (<see cref="Latents.LatentNoise"/>).</summary>
    public abstract double Gap(int factor);

    /// <summary>Writes the d standardised factor values of sample <paramref name="index"/>.</summary>
    public void StandardisedValues(int index, Span<double> destination)
    {
        RawValues(index, destination);
        for (int f = 0; f < Dimension; f++) destination[f] = Standardise(f, destination[f]);
    }
}
