using Disentangle.Tensors;

namespace Disentangle.Data.Tasks;

/// <summary>Shared steps of the coefficient samplers: argument checks, support masks, filling rows.</summary>
internal static class TaskCoefficients
{
    public static void Check(int features, int outputs, int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        if (length != features * outputs)
            throw new ArgumentException($"W is {features}×{outputs} = {features * outputs} values; the destination has {length}.", "coefficients");
    }

    /// <summary>Independent Bernoulli(p) support, redrawn while empty (so every task uses at least one feature).</summary>
    public static void BernoulliSupport(Random random, double p, Span<bool> support)
    {
        bool any;
        do
        {
            any = false;
            for (int j = 0; j < support.Length; j++) any |= support[j] = random.NextDouble() < p;
        } while (!any);
    }

    /// <summary>Rows in the support get independent N(0, 1) draws; the others are zero.</summary>
    public static void GaussianRows(Random random, ReadOnlySpan<bool> support, int outputs, Span<double> w)
    {
        for (int j = 0; j < support.Length; j++)
            for (int c = 0; c < outputs; c++) w[j * outputs + c] = support[j] ? random.NextGaussian() : 0.0;
    }
}

/// <summary><c>binomial_gauss</c>: <c>w = w̃ ⊙ b</c>, <c>w̃ ~ N(0, I)</c>, <c>b_j ~ Bernoulli(p)</c> (the paper's tasks, p = 0.5).</summary>
/// <remarks>An all-zero b is redrawn, so the support is never empty: P(S) ∝ p^|S|(1 − p)^(m−|S|) over non-empty S. (The
/// reference instead switched the same few columns on for a whole batch; we do not copy that.)</remarks>
public sealed class BinomialGauss : ITaskCoefficientSampler
{
    /// <summary>Creates the sampler.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside (0, 1].</exception>
    public BinomialGauss(double p = 0.5)
    {
        if (!(p > 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, $"The support probability p of binomial_gauss must be in (0, 1]; got {p}.");
        P = p;
    }

    /// <summary>Probability that a feature is in the support.</summary>
    public double P { get; }

    /// <inheritdoc/>
    public string Name => P == 0.5 ? "binomial_gauss" : FormattableString.Invariant($"binomial_gauss_{P}");

    /// <inheritdoc/>
    public void Sample(Random random, int features, int outputs, Span<double> coefficients)
    {
        TaskCoefficients.Check(features, outputs, coefficients.Length);
        Span<bool> support = stackalloc bool[features];
        TaskCoefficients.BernoulliSupport(random, P, support);
        TaskCoefficients.GaussianRows(random, support, outputs, coefficients);
    }
}

/// <summary><c>fix_size_support_s</c>: a support of exactly s features, uniform over such subsets; N(0, 1) on it.</summary>
public sealed class FixedSizeSupport : ITaskCoefficientSampler
{
    /// <summary>Creates the sampler.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> &lt; 1.</exception>
    public FixedSizeSupport(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Size = size;
    }

    /// <summary>Support size s.</summary>
    public int Size { get; }

    /// <inheritdoc/>
    public string Name => $"fix_size_support_{Size}";

    /// <inheritdoc/>
    public void Sample(Random random, int features, int outputs, Span<double> coefficients)
    {
        TaskCoefficients.Check(features, outputs, coefficients.Length);
        if (Size > features)
            throw new ArgumentOutOfRangeException(nameof(features), features, $"fix_size_support_{Size} needs at least {Size} features; got {features}.");
        Span<int> order = stackalloc int[features];
        for (int j = 0; j < features; j++) order[j] = j;
        Span<bool> support = stackalloc bool[features];
        for (int j = 0; j < Size; j++)   // partial Fisher–Yates: the first Size entries are a uniform subset
        {
            int pick = random.Next(j, features);
            (order[j], order[pick]) = (order[pick], order[j]);
            support[order[j]] = true;
        }
        TaskCoefficients.GaussianRows(random, support, outputs, coefficients);
    }
}

/// <summary><c>block_support_b</c>: features split into consecutive blocks of size b; each task uses one block, uniformly;
/// N(0, 1) on it. Violates Assumption 3.6 for b ≥ 2 (paper Fig. 8: b = 2, 3, 6).</summary>
public sealed class BlockSupport : ITaskCoefficientSampler
{
    /// <summary>Creates the sampler.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="blockSize"/> &lt; 1.</exception>
    public BlockSupport(int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        BlockSize = blockSize;
    }

    /// <summary>Block size b.</summary>
    public int BlockSize { get; }

    /// <inheritdoc/>
    public string Name => $"block_support_{BlockSize}";

    /// <inheritdoc/>
    public void Sample(Random random, int features, int outputs, Span<double> coefficients)
    {
        TaskCoefficients.Check(features, outputs, coefficients.Length);
        if (features % BlockSize != 0)
            throw new ArgumentException($"block_support_{BlockSize} needs the feature count to be a multiple of {BlockSize}; got {features}.", nameof(features));
        int block = random.Next(features / BlockSize);
        Span<bool> support = stackalloc bool[features];
        support.Slice(block * BlockSize, BlockSize).Fill(true);
        TaskCoefficients.GaussianRows(random, support, outputs, coefficients);
    }
}

/// <summary><c>laplace</c>: every coefficient i.i.d. Laplace(0, 1); no exact zeros, so Assumption 3.6 fails, but many
/// coefficients are small (paper Fig. 9).</summary>
public sealed class LaplaceCoefficients : ITaskCoefficientSampler
{
    /// <inheritdoc/>
    public string Name => "laplace";

    /// <inheritdoc/>
    public void Sample(Random random, int features, int outputs, Span<double> coefficients)
    {
        TaskCoefficients.Check(features, outputs, coefficients.Length);
        for (int i = 0; i < coefficients.Length; i++) coefficients[i] = random.NextLaplace();
    }
}

/// <summary><c>gauss</c>: every coefficient i.i.d. N(0, 1) (dense tasks; Assumption 3.6 fails).</summary>
public sealed class GaussCoefficients : ITaskCoefficientSampler
{
    /// <inheritdoc/>
    public string Name => "gauss";

    /// <inheritdoc/>
    public void Sample(Random random, int features, int outputs, Span<double> coefficients)
    {
        TaskCoefficients.Check(features, outputs, coefficients.Length);
        for (int i = 0; i < coefficients.Length; i++) coefficients[i] = random.NextGaussian();
    }
}
