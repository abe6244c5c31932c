using Disentangle.Tensors;

namespace Disentangle.Ica;

/// <summary>A fitted FastICA model and the sources of the data it was fitted on.</summary>
/// <param name="Unmixing">Unmixing matrix, shape (k, m): <c>s = Unmixing · (x − Mean)</c> (scikit-learn's <c>components_</c>).</param>
/// <param name="Mixing">Its pseudo-inverse, shape (m, k): <c>x ≈ Mixing · s + Mean</c>.</param>
/// <param name="Sources">Estimated sources of the training data, shape (n, k), each with mean 0 and variance 1.</param>
/// <param name="Mean">Feature means removed before unmixing, length m.</param>
/// <param name="Whitening">Whitening matrix, shape (k, m): <c>Λ_k^{-1/2} U_kᵀ</c> from the covariance's top-k eigenpairs
/// (white data has unit variance; scikit-learn's <c>whitening_</c> is this divided by √n).</param>
/// <param name="Iterations">Fixed-point iterations run.</param>
/// <param name="Converged">Whether the tolerance was reached within the iteration budget.</param>
/// <param name="Change">The last value of <c>max_i | |⟨w_i^new, w_i⟩| − 1 |</c>.</param>
public sealed record FastIcaResult(
    Matrix Unmixing, Matrix Mixing, Matrix Sources, double[] Mean, Matrix Whitening,
    int Iterations, bool Converged, double Change)
{
    /// <summary>Applies the fitted unmixing to new samples: <c>S = (X − Mean) · Unmixingᵀ</c>.</summary>
    /// <param name="x">Samples, shape (n', m).</param>
    /// <returns>Sources, shape (n', k).</returns>
    /// <exception cref="ArgumentException">x has the wrong number of columns or a non-finite entry.</exception>
    public Matrix Transform(Matrix x) => Unmix(x, Mean, Unmixing);

    /// <summary><c>S = (X − mean) · unmixingᵀ</c>: <see cref="Transform"/>, and <see cref="FastIcaUnmixing.Transform"/> from
    /// what a run folder keeps, bit for bit alike.</summary>
    internal static Matrix Unmix(Matrix x, double[] mean, Matrix unmixing)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Columns != mean.Length)
            throw new ArgumentException($"x has {x.Columns} columns but the model was fitted on {mean.Length} features.", nameof(x));
        FastIca.CheckFinite(x, nameof(x));
        var centred = x.Clone();
        for (int i = 0; i < centred.Rows; i++)
            System.Numerics.Tensors.TensorPrimitives.Subtract(centred.Row(i), mean, centred.Row(i));
        return Matrix.Multiply(centred, unmixing, transposeB: true);
    }

    /// <summary>Maps sources back to feature space: <c>X = S · Mixingᵀ + Mean</c>.</summary>
    /// <param name="sources">Sources, shape (n', k).</param>
    /// <returns>Features, shape (n', m).</returns>
    /// <exception cref="ArgumentException">sources has the wrong number of columns.</exception>
    public Matrix InverseTransform(Matrix sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Columns != Mixing.Columns)
            throw new ArgumentException($"sources has {sources.Columns} columns but the model has {Mixing.Columns} components.", nameof(sources));
        var x = Matrix.Multiply(sources, Mixing, transposeB: true);
        for (int i = 0; i < x.Rows; i++) System.Numerics.Tensors.TensorPrimitives.Add(x.Row(i), Mean, x.Row(i));
        return x;
    }
}
