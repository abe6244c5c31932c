namespace Disentangle.Ica;

/// <summary>A FastICA contrast function G, whose expectation approximates negentropy.</summary>
/// <remarks>The fixed-point update uses <c>g = G'</c> and <c>g' = G''</c> (Hyvärinen &amp; Oja 2000, Eq. 20). Implement
/// <see cref="Apply"/> with span kernels when it matters; the default loops over the scalar members.</remarks>
public interface IContrast
{
    /// <summary>G(u).</summary>
    double Value(double u);

    /// <summary>g(u) = G'(u).</summary>
    double Derivative(double u);

    /// <summary>g'(u) = G''(u).</summary>
    double SecondDerivative(double u);

    /// <summary>Writes g(u) for every entry of <paramref name="u"/> into <paramref name="derivative"/> and returns the mean
    /// of g'(u) over the entries.</summary>
    /// <param name="u">Projections of the whitened samples onto one unmixing direction, length n ≥ 1.</param>
    /// <param name="derivative">Destination for g(u), same length.</param>
    double Apply(ReadOnlySpan<double> u, Span<double> derivative)
    {
        double sum = 0;
        for (int i = 0; i < u.Length; i++)
        {
            derivative[i] = Derivative(u[i]);
            sum += SecondDerivative(u[i]);
        }
        return sum / u.Length;
    }
}
