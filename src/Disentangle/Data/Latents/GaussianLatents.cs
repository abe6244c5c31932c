using System.Globalization;
using Disentangle.Tensors;

namespace Disentangle.Data.Latents;

/// <summary>A correlated Gaussian evaluated on the standardised grid and renormalised: <c>p(z) ∝ N(z; 0, Σ_ρ)</c>
/// (reference names <c>gauss_ρ</c> and <c>harder_gauss_ρ</c>, method.md §4).</summary>
/// <remarks>Σ is Toeplitz (<c>ρ^|i−j|</c>) or equicorrelated (<c>(1 − ρ)I + ρ11ᵀ</c>); z are the standardised factor values
/// of each grid point. Draws use an alias table over all grid points (exact, O(1) per draw).
/// <see cref="SampleContinuous"/> draws from the continuous surrogate <c>N(0, Σ)</c> itself.</remarks>
public sealed class GaussianLatents : IExactLatentDistribution
{
    private readonly double[] _probability;
    private readonly AliasTable _alias;
    private readonly Matrix _lower;

    /// <summary>Builds the distribution over <paramref name="factors"/>.</summary>
    /// <param name="factors">The grid.</param>
    /// <param name="rho">Correlation ρ in [0, 1) (the paper uses 0 … 0.99).</param>
    /// <param name="structure">Toeplitz (<c>gauss_ρ</c>) or equicorrelated (<c>harder_gauss_ρ</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rho"/> is outside [0, 1).</exception>
    public GaussianLatents(ShapesFactors factors, double rho, CorrelationStructure structure)
    {
        ArgumentNullException.ThrowIfNull(factors);
        if (!(rho >= 0 && rho < 1))
            throw new ArgumentOutOfRangeException(nameof(rho), rho, $"The latent correlation ρ must be in [0, 1) (the paper uses 0 … 0.99); got {rho}.");
        Grid = factors;
        Rho = rho;
        Structure = structure;
        Covariance = CorrelatedNormal.Covariance(ShapesFactors.FactorCount, rho, structure);
        var cholesky = LinearAlgebra.Cholesky(Covariance);
        _lower = cholesky.Lower;
        var precision = cholesky.Solve(Matrix.Identity(ShapesFactors.FactorCount));
        _probability = new double[factors.Count];
        Span<double> z = stackalloc double[ShapesFactors.FactorCount];
        double total = 0;
        for (int index = 0; index < factors.Count; index++)
        {
            factors.StandardisedValues(index, z);
            double q = 0;                                          // q = zᵀ Σ⁻¹ z
            for (int i = 0; i < z.Length; i++)
                for (int j = 0; j < z.Length; j++) q += z[i] * precision[i, j] * z[j];
            total += _probability[index] = Math.Exp(-0.5 * q);
        }
        for (int index = 0; index < _probability.Length; index++) _probability[index] /= total;
        _alias = new AliasTable(_probability);
    }

    /// <inheritdoc/>
    public string Name => (Structure == CorrelationStructure.Toeplitz ? "gauss_" : "harder_gauss_") + Rho.ToString("R", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public FactorSet Factors => Grid;

    /// <summary>The grid.</summary>
    public ShapesFactors Grid { get; }

    /// <summary>The correlation ρ.</summary>
    public double Rho { get; }

    /// <summary>Toeplitz or equicorrelated.</summary>
    public CorrelationStructure Structure { get; }

    /// <summary>The 6×6 covariance Σ_ρ of the continuous surrogate.</summary>
    public Matrix Covariance { get; }

    /// <inheritdoc/>
    public double Probability(int index) => (uint)index < (uint)_probability.Length ? _probability[index]
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"Grid index must be in [0, {_probability.Length}).");

    /// <inheritdoc/>
    public void Sample(Random random, Span<int> indices)
    {
        for (int i = 0; i < indices.Length; i++) indices[i] = _alias.Sample(random);
    }

    /// <summary>Draws one point of the continuous surrogate <c>z = L g ~ N(0, Σ)</c>, <c>g ~ N(0, I)</c>, into six values.</summary>
    public void SampleContinuous(Random random, Span<double> z) => CorrelatedNormal.Draw(_lower, random, z);
}
