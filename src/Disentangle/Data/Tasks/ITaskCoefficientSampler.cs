namespace Disentangle.Data.Tasks;

/// <summary>Draws the coefficients W of one task: <c>y = Z W + noise</c> (method.md §4).</summary>
/// <remarks>W has one row per feature (factor) and one column per output, row-major. The support of a task is the set of
/// rows that are not all zero (shared by all outputs, as the group penalty ‖W‖₂,₁ assumes).</remarks>
public interface ITaskCoefficientSampler
{
    /// <summary>The reference name, e.g. <c>binomial_gauss</c> or <c>block_support_2</c>.</summary>
    string Name { get; }

    /// <summary>Draws one task's coefficients.</summary>
    /// <param name="random">Source of randomness.</param>
    /// <param name="features">Number of features m (rows).</param>
    /// <param name="outputs">Number of outputs k (columns).</param>
    /// <param name="coefficients">Destination, <c>m × k</c> row-major.</param>
    /// <exception cref="ArgumentException">Sizes do not match, or the sampler cannot serve <paramref name="features"/>.</exception>
    void Sample(Random random, int features, int outputs, Span<double> coefficients);
}
