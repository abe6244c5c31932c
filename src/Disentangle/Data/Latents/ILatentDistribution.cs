namespace Disentangle.Data.Latents;

/// <summary>A probability distribution over the grid points of a <see cref="ShapesFactors"/> grid (method.md §4).</summary>
public interface ILatentDistribution
{
    /// <summary>The reference name: <c>uniform</c>, <c>gauss_ρ</c> or <c>harder_gauss_ρ</c>.</summary>
    string Name { get; }

    /// <summary>The grid the distribution is defined on.</summary>
    ShapesFactors Factors { get; }

    /// <summary>Probability of grid index <paramref name="index"/>.</summary>
    double Probability(int index);

    /// <summary>Fills <paramref name="indices"/> with independent draws of grid indices.</summary>
    void Sample(Random random, Span<int> indices);
}
