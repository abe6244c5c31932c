namespace Disentangle.Data.Latents;

/// <summary>A probability distribution over the samples of a data set (the grid points of 3D Shapes), method.md §4.</summary>
public interface ILatentDistribution
{
    /// <summary>The reference name: <c>uniform</c>, <c>gauss_ρ</c> or <c>harder_gauss_ρ</c>.</summary>
    string Name { get; }

    /// <summary>The factors of the samples the distribution is defined on.</summary>
    FactorSet Factors { get; }

    /// <summary>Fills <paramref name="indices"/> with independent draws of sample (grid) indices.</summary>
    void Sample(Random random, Span<int> indices);
}

/// <summary>A latent distribution whose probability of each sample is known exactly (uniform, and the Gaussians over the 3D
/// Shapes grid).</summary>
public interface IExactLatentDistribution : ILatentDistribution
{
    /// <summary>Probability of sample (grid) index <paramref name="index"/>.</summary>
    double Probability(int index);
}
