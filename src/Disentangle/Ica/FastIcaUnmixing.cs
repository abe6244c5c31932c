using Disentangle.Tensors;

namespace Disentangle.Ica;

/// <summary>What applying a fitted FastICA takes, as an evaluation keeps it (<c>unmixing-{name}.json</c>): the feature
/// means and the unmixing matrix, so that the FastICA features of a run kept without them can be rebuilt, bit for bit,
/// from its features without FastICA.</summary>
/// <param name="Mean">Feature means removed before unmixing, length m.</param>
/// <param name="Unmixing">The unmixing matrix's rows, k × m.</param>
public sealed record FastIcaUnmixing(double[] Mean, double[][] Unmixing)
{
    /// <summary>The unmixing of a fitted model.</summary>
    public static FastIcaUnmixing Of(FastIcaResult fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return new([.. fit.Mean], [.. Enumerable.Range(0, fit.Unmixing.Rows).Select(i => fit.Unmixing.Row(i).ToArray())]);
    }

    /// <summary><see cref="FastIcaResult.Transform"/>: <c>S = (X − Mean) · Unmixingᵀ</c>.</summary>
    /// <exception cref="ArgumentException">x has the wrong number of columns or a non-finite entry.</exception>
    public Matrix Transform(Matrix x) =>
        FastIcaResult.Unmix(x, Mean, new Matrix(Unmixing.Length, Mean.Length, [.. Unmixing.SelectMany(row => row)]));
}
