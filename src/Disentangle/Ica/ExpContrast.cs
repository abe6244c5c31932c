namespace Disentangle.Ica;

/// <summary>The Gaussian contrast <c>G(u) = −exp(−u²/2)</c>, <c>g = u·exp(−u²/2)</c>, <c>g' = (1 − u²)·exp(−u²/2)</c>.</summary>
/// <remarks>Robust to outliers; scikit-learn's <c>fun="exp"</c>.</remarks>
public sealed record ExpContrast : IContrast
{
    /// <inheritdoc/>
    public double Value(double u) => -Math.Exp(-0.5 * u * u);

    /// <inheritdoc/>
    public double Derivative(double u) => u * Math.Exp(-0.5 * u * u);

    /// <inheritdoc/>
    public double SecondDerivative(double u) => (1 - u * u) * Math.Exp(-0.5 * u * u);

    /// <inheritdoc/>
    public double Apply(ReadOnlySpan<double> u, Span<double> derivative)
    {
        double sum = 0;
        for (int i = 0; i < u.Length; i++)
        {
            double x = u[i], e = Math.Exp(-0.5 * x * x);
            derivative[i] = x * e;
            sum += (1 - x * x) * e;
        }
        return sum / u.Length;
    }
}
