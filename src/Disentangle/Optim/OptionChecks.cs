namespace Disentangle.Optim;

/// <summary>Range checks for optimizer and schedule options, naming the option and its value.</summary>
internal static class OptionChecks
{
    /// <summary>Throws unless <paramref name="value"/> is finite and ≥ 0.</summary>
    public static void NonNegative(double value, string name)
    {
        if (!(double.IsFinite(value) && value >= 0))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and non-negative.");
    }

    /// <summary>Throws unless 0 ≤ <paramref name="value"/> &lt; 1.</summary>
    public static void InUnitInterval(double value, string name)
    {
        if (!(value >= 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and &gt; 0.</summary>
    public static void Positive(double value, string name)
    {
        if (!(double.IsFinite(value) && value > 0))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and positive.");
    }
}
