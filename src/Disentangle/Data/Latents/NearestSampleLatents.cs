using System.Globalization;
using Disentangle.Tensors;

namespace Disentangle.Data.Latents;

/// <summary>A correlated Gaussian over the samples of a user's data set (reference names <c>gauss_ρ</c> and
/// <c>harder_gauss_ρ</c>, docs/own-data.md): draw a target latent <c>z ~ N(0, Σ_ρ)</c> in standardised units and take the
/// data set's sample nearest to it.</summary>
/// <remarks>A user's samples need not lie on a grid nor be spread uniformly, so weighting each sample by the density at its
/// latent (what <see cref="GaussianLatents"/> does on the 3D Shapes grid, where every combination appears once) would
/// multiply the target by the data's own density. The nearest sample of a draw instead follows N(0, Σ_ρ) wherever the data
/// cover it (each sample receives the Gaussian mass of its Voronoi cell). A draw outside the data's range (per factor, the
/// smallest to the largest standardised value, widened by half a gap) is drawn again, up to <see cref="MaxAttempts"/>
/// times, so the result is the Gaussian restricted to the data's range, as on the 3D Shapes grid, rather than a pile-up on
/// the boundary. Samples with equal factor values form one point, and a draw that lands on it picks one of them uniformly.
/// Distances are Euclidean in standardised units (every factor has variance 1 over the data); the search is an exact
/// k-d tree.</remarks>
public sealed class NearestSampleLatents : ILatentDistribution
{
    private readonly Matrix _lower;
    private readonly KdTree _tree;
    private readonly int[] _members;      // sample indices grouped by distinct point
    private readonly int[] _start;        // point p owns _members[_start[p] .. _start[p + 1])
    private readonly double[] _low, _high; // the data's range per factor, standardised, widened by half a gap

    /// <summary>Draws of the target outside the data's range tried before the last one is kept (its nearest sample is then on
    /// the boundary).</summary>
    public const int MaxAttempts = 1_000;

    /// <summary>Builds the distribution over <paramref name="factors"/>.</summary>
    /// <param name="factors">The samples' factors.</param>
    /// <param name="rho">Correlation ρ in [0, 1).</param>
    /// <param name="structure">Toeplitz (<c>gauss_ρ</c>) or equicorrelated (<c>harder_gauss_ρ</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rho"/> is outside [0, 1).</exception>
    public NearestSampleLatents(FactorSet factors, double rho, CorrelationStructure structure)
    {
        ArgumentNullException.ThrowIfNull(factors);
        var covariance = CorrelatedNormal.Covariance(factors.Dimension, rho, structure);
        Factors = factors;
        Rho = rho;
        Structure = structure;
        _lower = LinearAlgebra.Cholesky(covariance).Lower;
        int n = factors.Count, d = factors.Dimension;
        var z = new double[(long)n * d];
        for (int i = 0; i < n; i++) factors.StandardisedValues(i, z.AsSpan(i * d, d));
        _members = [.. Enumerable.Range(0, n)];
        Array.Sort(_members, (a, b) =>
        {
            int c = z.AsSpan(a * d, d).SequenceCompareTo(z.AsSpan(b * d, d));
            return c != 0 ? c : a.CompareTo(b);
        });
        var starts = new List<int>();
        var points = new List<double>();
        for (int i = 0; i < n; i++)
        {
            if (i > 0 && z.AsSpan(_members[i] * d, d).SequenceEqual(z.AsSpan(_members[i - 1] * d, d))) continue;
            starts.Add(i);
            points.AddRange(z.AsSpan(_members[i] * d, d).ToArray());
        }
        starts.Add(n);
        _low = new double[d];
        _high = new double[d];
        for (int f = 0; f < d; f++)
        {
            double margin = 0.5 * (factors.Standardise(f, factors.Gap(f)) - factors.Standardise(f, 0));
            (_low[f], _high[f]) = (double.PositiveInfinity, double.NegativeInfinity);
            for (int i = 0; i < n; i++) (_low[f], _high[f]) = (Math.Min(_low[f], z[i * d + f]), Math.Max(_high[f], z[i * d + f]));
            (_low[f], _high[f]) = (_low[f] - margin, _high[f] + margin);
        }
        _start = [.. starts];
        _tree = new KdTree([.. points], d);
    }

    /// <inheritdoc/>
    public string Name => (Structure == CorrelationStructure.Toeplitz ? "gauss_" : "harder_gauss_") + Rho.ToString("R", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public FactorSet Factors { get; }

    /// <summary>The correlation ρ.</summary>
    public double Rho { get; }

    /// <summary>Toeplitz or equicorrelated.</summary>
    public CorrelationStructure Structure { get; }

    /// <summary>Number of distinct factor vectors among the samples.</summary>
    public int DistinctPoints => _tree.Count;

    /// <inheritdoc/>
    public void Sample(Random random, Span<int> indices)
    {
        Span<double> target = stackalloc double[Factors.Dimension];
        for (int i = 0; i < indices.Length; i++)
        {
            for (int attempt = 1; ; attempt++)
            {
                CorrelatedNormal.Draw(_lower, random, target);
                if (attempt == MaxAttempts || InRange(target)) break;
            }
            int point = _tree.Nearest(target);
            int first = _start[point], count = _start[point + 1] - first;
            indices[i] = _members[first + (count == 1 ? 0 : random.Next(count))];
        }
    }

    private bool InRange(ReadOnlySpan<double> z)
    {
        for (int f = 0; f < z.Length; f++)
            if (z[f] < _low[f] || z[f] > _high[f]) return false;
        return true;
    }
}
