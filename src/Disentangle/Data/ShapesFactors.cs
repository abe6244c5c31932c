namespace Disentangle.Data;

/// <summary>The factor grid of 3D Shapes: six factors, each with a finite list of raw values, in the dataset's order.</summary>
/// <remarks>
/// Factors, in order: floor hue, wall hue, object hue (fractions of the HSV hue circle), scale, shape (0 cube, 1 cylinder,
/// 2 sphere, 3 capsule) and orientation (degrees about the vertical axis). The grid index of a factor combination is the
/// mixed-radix number over the factor sizes with the first factor most significant, which is the row order of
/// <c>3dshapes.h5</c>. Standardised values are <c>(v − mean)/std</c> with the mean and population standard deviation of
/// the factor's grid values (each value is equally frequent over the grid), so every factor has mean 0 and variance 1
/// under the uniform distribution (method.md §4).
/// </remarks>
public sealed class ShapesFactors : FactorSet
{
    /// <summary>Number of factors.</summary>
    public const int FactorCount = 6;

    /// <summary>Index of the floor-hue factor.</summary>
    public const int FloorHue = 0;
    /// <summary>Index of the wall-hue factor.</summary>
    public const int WallHue = 1;
    /// <summary>Index of the object-hue factor.</summary>
    public const int ObjectHue = 2;
    /// <summary>Index of the scale factor.</summary>
    public const int Scale = 3;
    /// <summary>Index of the shape factor (0 cube, 1 cylinder, 2 sphere, 3 capsule).</summary>
    public const int Shape = 4;
    /// <summary>Index of the orientation factor (degrees).</summary>
    public const int Orientation = 5;

    /// <summary>Factor names in order, as in the dataset's documentation.</summary>
    public static IReadOnlyList<string> Names { get; } = ["floor_hue", "wall_hue", "object_hue", "scale", "shape", "orientation"];

    /// <summary>The real dataset's grid: hues linspace(0, 0.9, 10), scale linspace(0.75, 1.25, 8), shape 0..3,
    /// orientation linspace(−30, 30, 15); 480,000 combinations.</summary>
    public static ShapesFactors Shapes3D { get; } = new([
        Linspace(0, 0.9, 10), Linspace(0, 0.9, 10), Linspace(0, 0.9, 10),
        Linspace(0.75, 1.25, 8), Linspace(0, 3, 4), Linspace(-30, 30, 15)]);

    private readonly double[][] _values;
    private readonly double[] _mean;
    private readonly double[] _std;
    private readonly double[] _gap;
    private readonly int[] _stride;

    /// <summary>Creates a grid from the raw values of each factor (a sub-grid of the real one, for tests and small files).</summary>
    /// <param name="values">Six arrays of strictly increasing raw values, in the factor order.</param>
    /// <exception cref="ArgumentException">Not six factors, an empty or non-increasing factor, or a non-finite value.</exception>
    public ShapesFactors(double[][] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != FactorCount)
            throw new ArgumentException($"A 3D Shapes grid has {FactorCount} factors ({string.Join(", ", Names)}); got {values.Length}.", nameof(values));
        _values = new double[FactorCount][];
        _mean = new double[FactorCount];
        _std = new double[FactorCount];
        _gap = new double[FactorCount];
        _stride = new int[FactorCount];
        long count = 1;
        for (int f = FactorCount - 1; f >= 0; f--)
        {
            var v = values[f] ?? throw new ArgumentException($"Factor {Names[f]} has no values.", nameof(values));
            if (v.Length == 0) throw new ArgumentException($"Factor {Names[f]} has no values.", nameof(values));
            for (int i = 0; i < v.Length; i++)
            {
                if (!double.IsFinite(v[i])) throw new ArgumentException($"Factor {Names[f]} value {v[i]} is not finite.", nameof(values));
                if (i > 0 && v[i] <= v[i - 1])
                    throw new ArgumentException($"Factor {Names[f]} values must increase strictly; got {v[i - 1]} then {v[i]}.", nameof(values));
            }
            _values[f] = (double[])v.Clone();
            _mean[f] = v.Average();
            double variance = v.Sum(x => (x - _mean[f]) * (x - _mean[f])) / v.Length;
            _std[f] = variance > 0 ? Math.Sqrt(variance) : 1.0;
            _gap[f] = v.Length > 1 ? (v[^1] - v[0]) / (v.Length - 1) : 0.0;
            _stride[f] = (int)count;
            count *= v.Length;
            if (count > int.MaxValue) throw new ArgumentException("The grid has more than int.MaxValue combinations.", nameof(values));
        }
        Count = (int)count;
        Sizes = [.. _values.Select(v => v.Length)];
    }

    /// <summary>Number of values of each factor (10, 10, 10, 8, 4, 15 for the real grid).</summary>
    public IReadOnlyList<int> Sizes { get; }

    /// <summary>Number of grid combinations (480,000 for the real grid).</summary>
    public override int Count { get; }

    /// <inheritdoc/>
    public override int Dimension => FactorCount;

    /// <inheritdoc/>
    public override IReadOnlyList<string> FactorNames => Names;

    /// <summary>The raw grid values of factor <paramref name="factor"/>.</summary>
    public ReadOnlySpan<double> Values(int factor) => _values[CheckFactor(factor)];

    /// <summary>Mean spacing of factor <paramref name="factor"/>'s grid values (0 for a single value).</summary>
    public override double Gap(int factor) => _gap[CheckFactor(factor)];

    /// <summary>Mean of the factor's grid values.</summary>
    public double Mean(int factor) => _mean[CheckFactor(factor)];

    /// <summary>Population standard deviation of the factor's grid values (1 for a single value).</summary>
    public double StandardDeviation(int factor) => _std[CheckFactor(factor)];

    /// <summary>Maps a raw value of factor <paramref name="factor"/> to its standardised value <c>(v − mean)/std</c>.</summary>
    public override double Standardise(int factor, double raw) => (raw - _mean[factor]) / _std[factor];

    /// <summary>The grid index of a combination of factor-value indices (mixed radix, first factor most significant).</summary>
    /// <exception cref="ArgumentException">Not six indices, or an index outside its factor's range.</exception>
    public int IndexOf(ReadOnlySpan<int> factorIndices)
    {
        if (factorIndices.Length != FactorCount)
            throw new ArgumentException($"Expected {FactorCount} factor indices; got {factorIndices.Length}.", nameof(factorIndices));
        int index = 0;
        for (int f = 0; f < FactorCount; f++)
        {
            if ((uint)factorIndices[f] >= (uint)_values[f].Length)
                throw new ArgumentException($"Factor {Names[f]} index {factorIndices[f]} is outside [0, {_values[f].Length}).", nameof(factorIndices));
            index += factorIndices[f] * _stride[f];
        }
        return index;
    }

    /// <summary>Writes the six factor-value indices of grid index <paramref name="index"/>.</summary>
    public void FactorIndices(int index, Span<int> destination)
    {
        CheckIndex(index);
        for (int f = 0; f < FactorCount; f++) destination[f] = index / _stride[f] % _values[f].Length;
    }

    /// <summary>Writes the six raw factor values of grid index <paramref name="index"/>.</summary>
    public override void RawValues(int index, Span<double> destination)
    {
        CheckIndex(index);
        for (int f = 0; f < FactorCount; f++) destination[f] = _values[f][index / _stride[f] % _values[f].Length];
    }

    /// <summary>The grid index whose raw values equal <paramref name="raw"/> within a millionth of each gap, or −1.</summary>
    public int FindIndex(ReadOnlySpan<double> raw)
    {
        if (raw.Length != FactorCount)
            throw new ArgumentException($"Expected {FactorCount} factor values; got {raw.Length}.", nameof(raw));
        int index = 0;
        for (int f = 0; f < FactorCount; f++)
        {
            var v = _values[f];
            double tolerance = 1e-6 * Math.Max(_gap[f], 1e-9);
            int i = Array.BinarySearch(v, raw[f] - tolerance);
            if (i < 0) i = ~i;
            if (i >= v.Length || Math.Abs(v[i] - raw[f]) > tolerance) return -1;
            index += i * _stride[f];
        }
        return index;
    }

    /// <summary>numpy's <c>linspace(start, stop, count)</c>: <c>start + k·(stop − start)/(count − 1)</c>, the last value exactly <c>stop</c>.</summary>
    public static double[] Linspace(double start, double stop, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var v = new double[count];
        if (count == 1) { v[0] = start; return v; }
        double step = (stop - start) / (count - 1);
        for (int k = 0; k < count; k++) v[k] = start + k * step;
        v[^1] = stop;
        return v;
    }

    private static int CheckFactor(int factor)
    {
        if ((uint)factor >= FactorCount)
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"Factor must be in [0, {FactorCount}).");
        return factor;
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Grid index must be in [0, {Count}).");
    }
}
