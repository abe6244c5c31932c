using System.Numerics.Tensors;

namespace Disentangle.Ica;

/// <summary>The general-purpose contrast <c>G(u) = log cosh(αu) / α</c>, <c>g = tanh(αu)</c>, <c>g' = α(1 − tanh²(αu))</c>.</summary>
/// <remarks>FastICA's default (scikit-learn's <c>fun="logcosh"</c>); α ∈ [1, 2] is the usual range.</remarks>
public sealed record LogCosh : IContrast
{
    /// <summary>Creates the contrast with slope <paramref name="alpha"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">alpha is not a positive finite number.</exception>
    public LogCosh(double alpha = 1.0)
    {
        if (!(alpha > 0) || !double.IsFinite(alpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be a positive finite number.");
        Alpha = alpha;
    }

    /// <summary>The slope α.</summary>
    public double Alpha { get; }

    /// <inheritdoc/>
    public double Value(double u)
    {
        double a = Math.Abs(Alpha * u);                               // log cosh x = |x| + log(1 + e^{−2|x|}) − log 2
        return (a + Math.Log(1 + Math.Exp(-2 * a)) - Math.Log(2)) / Alpha;
    }

    /// <inheritdoc/>
    public double Derivative(double u) => Math.Tanh(Alpha * u);

    /// <inheritdoc/>
    public double SecondDerivative(double u)
    {
        double t = Math.Tanh(Alpha * u);
        return Alpha * (1 - t * t);
    }

    /// <inheritdoc/>
    public double Apply(ReadOnlySpan<double> u, Span<double> derivative)
    {
        derivative = derivative[..u.Length];
        TensorPrimitives.Multiply(u, Alpha, derivative);
        TensorPrimitives.Tanh(derivative, derivative);                             // g = tanh(αu)
        return Alpha * (1 - TensorPrimitives.SumOfSquares<double>(derivative) / u.Length);   // mean g' = α(1 − mean tanh²)
    }
}
