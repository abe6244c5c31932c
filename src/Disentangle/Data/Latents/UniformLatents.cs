namespace Disentangle.Data.Latents;

/// <summary>The uniform distribution over the samples (reference name <c>uniform</c>): every grid point of 3D Shapes, or every
/// sample of a user's file, equally likely.</summary>
public sealed class UniformLatents : IExactLatentDistribution
{
    /// <summary>Creates the uniform distribution over <paramref name="factors"/>.</summary>
    public UniformLatents(FactorSet factors) => Factors = factors ?? throw new ArgumentNullException(nameof(factors));

    /// <inheritdoc/>
    public string Name => "uniform";

    /// <inheritdoc/>
    public FactorSet Factors { get; }

    /// <inheritdoc/>
    public double Probability(int index) => (uint)index < (uint)Factors.Count ? 1.0 / Factors.Count
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"Grid index must be in [0, {Factors.Count}).");

    /// <inheritdoc/>
    public void Sample(Random random, Span<int> indices)
    {
        for (int i = 0; i < indices.Length; i++) indices[i] = random.Next(Factors.Count);
    }
}
