namespace Disentangle.Ica;

/// <summary>The kurtosis contrast <c>G(u) = u⁴/4</c>, <c>g = u³</c>, <c>g' = 3u²</c>.</summary>
/// <remarks>Fast but sensitive to outliers; scikit-learn's <c>fun="cube"</c>.</remarks>
public sealed record Cube : IContrast
{
    /// <inheritdoc/>
    public double Value(double u) => 0.25 * u * u * u * u;

    /// <inheritdoc/>
    public double Derivative(double u) => u * u * u;

    /// <inheritdoc/>
    public double SecondDerivative(double u) => 3 * u * u;

    /// <inheritdoc/>
    public double Apply(ReadOnlySpan<double> u, Span<double> derivative)
    {
        double sum = 0;
        for (int i = 0; i < u.Length; i++)
        {
            double x = u[i], x2 = x * x;
            derivative[i] = x2 * x;
            sum += x2;
        }
        return 3 * sum / u.Length;
    }
}
