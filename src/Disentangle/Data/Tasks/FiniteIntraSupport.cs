using Disentangle.Tensors;

namespace Disentangle.Data.Tasks;

/// <summary><c>finite_intra_support_n</c>: supports as in <see cref="BinomialGauss"/> (p = 0.5, never empty), but the
/// coefficients come from a finite codebook of n vectors: <c>w = c ⊙ b</c> with c uniform over the codebook.</summary>
/// <remarks>Given its support, W takes at most n values, so the intra-support variability of Assumption 3.5 fails (paper
/// §3, "P_W concentrates mass on a point"). The codebook is n × m × k i.i.d. N(0, 1), drawn from
/// <paramref name="codebookSeed"/> the first time a given (m, k) is asked for.</remarks>
public sealed class FiniteIntraSupport(int values, int codebookSeed = 0) : ITaskCoefficientSampler
{
    private readonly Dictionary<(int, int), double[]> _codebooks = [];

    /// <summary>Codebook size n.</summary>
    public int Values { get; } = values >= 1 ? values
        : throw new ArgumentOutOfRangeException(nameof(values), values, "finite_intra_support needs at least 1 coefficient vector.");

    /// <inheritdoc/>
    public string Name => $"finite_intra_support_{Values}";

    /// <inheritdoc/>
    public void Sample(Random random, int features, int outputs, Span<double> coefficients)
    {
        TaskCoefficients.Check(features, outputs, coefficients.Length);
        double[] codebook;
        lock (_codebooks)
        {
            if (!_codebooks.TryGetValue((features, outputs), out codebook!))
            {
                var r = new Random(codebookSeed);
                codebook = new double[Values * features * outputs];
                for (int i = 0; i < codebook.Length; i++) codebook[i] = r.NextGaussian();
                _codebooks[(features, outputs)] = codebook;
            }
        }
        Span<bool> support = stackalloc bool[features];
        TaskCoefficients.BernoulliSupport(random, 0.5, support);
        var vector = codebook.AsSpan(random.Next(Values) * features * outputs, features * outputs);
        for (int j = 0; j < features; j++)
            for (int c = 0; c < outputs; c++) coefficients[j * outputs + c] = support[j] ? vector[j * outputs + c] : 0.0;
    }
}
