namespace Disentangle;

/// <summary>The range checks of every public boundary in one place: each throws an
/// <see cref="ArgumentOutOfRangeException"/> naming the option or argument, its value and the valid range.</summary>
internal static class Guard
{
    /// <summary>Throws unless <paramref name="value"/> is finite and &gt; 0.</summary>
    public static void Positive(double value, string name)
    {
        if (!(double.IsFinite(value) && value > 0))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and > 0; got {value}.");
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and ≥ 0.</summary>
    public static void NonNegative(double value, string name)
    {
        if (!(double.IsFinite(value) && value >= 0))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and ≥ 0; got {value}.");
    }

    /// <summary>Throws unless 0 ≤ <paramref name="value"/> &lt; 1.</summary>
    public static void InUnitInterval(double value, string name)
    {
        if (!(value >= 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1); got {value}.");
    }

    /// <summary>Throws unless <paramref name="low"/> ≤ <paramref name="value"/> ≤ <paramref name="high"/>.</summary>
    public static void Between(double value, double low, double high, string name)
    {
        if (!(value >= low && value <= high))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [{low}, {high}]; got {value}.");
    }

    /// <summary>Throws unless <paramref name="value"/> ≥ <paramref name="minimum"/>.</summary>
    public static void AtLeast(long value, long minimum, string name) => ArgumentOutOfRangeException.ThrowIfLessThan(value, minimum, name);

    /// <summary>Throws unless 0 ≤ <paramref name="value"/> &lt; <paramref name="count"/>; <paramref name="context"/> says
    /// what holds the <paramref name="count"/> items (as "class 3 has 20 images").</summary>
    public static void Index(int value, int count, string name, string context)
    {
        if ((uint)value >= (uint)count)
            throw new ArgumentOutOfRangeException(name, value, $"{name} = {value} is out of range: {context}.");
    }

    /// <summary>Throws unless <paramref name="value"/> is a thread count: −1 (the runtime's choice) or ≥ 1.</summary>
    public static void Threads(int value, string name)
    {
        if (value is 0 or < -1)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be −1 or ≥ 1; got {value}.");
    }

    /// <summary>The stopping rule shared by the iterative solvers: a tolerance ≥ 0, at least one epoch, a gap check at
    /// least every epoch, and a thread count.</summary>
    public static void Iterations(double tolerance, int maxEpochs, int gapFrequency, int threads)
    {
        NonNegative(tolerance, "Tolerance");
        AtLeast(maxEpochs, 1, "MaxEpochs");
        AtLeast(gapFrequency, 1, "GapFrequency");
        Threads(threads, "MaxDegreeOfParallelism");
    }
}
