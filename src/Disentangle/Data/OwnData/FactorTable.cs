namespace Disentangle.Data.OwnData;

/// <summary>The factors of a user's data set: one row of d values per sample, discrete or continuous.</summary>
/// <remarks>Each factor is standardised over the data set, <c>(v − mean)/std</c> with the mean and population standard
/// deviation of its N values, as 3D Shapes factors are over the grid (method.md §4). The gap (the unit of latent noise) is
/// the mean spacing of the factor's distinct values, <c>(max − min)/(distinct − 1)</c>: the grid step for a discrete
/// factor, nearly 0 for a continuous one.</remarks>
public sealed class FactorTable : FactorSet
{
    private readonly double[] _values;
    private readonly double[] _mean, _std, _gap;
    private readonly string[] _names;

    /// <summary>Wraps <paramref name="values"/> (N × d, row-major; not copied).</summary>
    /// <param name="values">Raw factor values, sample after sample.</param>
    /// <param name="dimension">Factors d per sample (≥ 1).</param>
    /// <param name="source">Names the data in error messages (a file name).</param>
    /// <exception cref="InvalidDataException">The length is not a multiple of d, a value is not finite, or a factor is
    /// constant (it could not be standardised nor predicted); the message names the factor's index.</exception>
    public FactorTable(double[] values, int dimension, string source)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (values.Length % dimension != 0)
            throw new InvalidDataException($"{source}: {values.Length} factor values are not a whole number of rows of {dimension}.");
        int n = values.Length / dimension;
        _values = values;
        Dimension = dimension;
        Count = n;
        _mean = new double[dimension];
        _std = new double[dimension];
        _gap = new double[dimension];
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new InvalidDataException($"{source}: factor {i % dimension} of sample {i / dimension} is {values[i]}; every factor value must be finite.");
        var column = new double[n];
        for (int f = 0; f < dimension; f++)
        {
            for (int i = 0; i < n; i++) column[i] = values[i * dimension + f];
            double mean = column.Average();
            double variance = column.Sum(v => (v - mean) * (v - mean)) / n;
            Array.Sort(column);
            if (column[0] == column[^1] || !(variance > 0))
                throw new InvalidDataException($"{source}: factor {f} is constant ({column[0]} for every sample); a constant factor cannot be "
                    + "standardised or predicted: drop it from 'factors'.");
            int distinct = 1;
            for (int i = 1; i < n; i++) if (column[i] != column[i - 1]) distinct++;
            _mean[f] = mean;
            _std[f] = Math.Sqrt(variance);
            _gap[f] = (column[^1] - column[0]) / (distinct - 1);
        }
        _names = [.. Enumerable.Range(0, dimension).Select(f => $"factor_{f}")];
    }

    /// <inheritdoc/>
    public override int Dimension { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> FactorNames => _names;

    /// <inheritdoc/>
    public override int Count { get; }

    /// <summary>Mean of factor <paramref name="factor"/> over the samples.</summary>
    public double Mean(int factor) => _mean[CheckFactor(factor)];

    /// <summary>Population standard deviation of factor <paramref name="factor"/> over the samples.</summary>
    public double StandardDeviation(int factor) => _std[CheckFactor(factor)];

    /// <inheritdoc/>
    public override double Gap(int factor) => _gap[CheckFactor(factor)];

    /// <inheritdoc/>
    public override double Standardise(int factor, double raw) => (raw - _mean[factor]) / _std[factor];

    /// <inheritdoc/>
    public override void RawValues(int index, Span<double> destination)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Sample index must be in [0, {Count}).");
        _values.AsSpan(index * Dimension, Dimension).CopyTo(destination);
    }

    private int CheckFactor(int factor)
    {
        if ((uint)factor >= (uint)Dimension)
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"Factor must be in [0, {Dimension}).");
        return factor;
    }
}
