using System.Numerics.Tensors;
using Disentangle.Tensors;

namespace Disentangle.Ica;

/// <summary>Independent component analysis by FastICA: the parallel fixed-point algorithm with symmetric decorrelation.</summary>
/// <remarks>Centre X, whiten to unit variance with the top-k eigenpairs of its covariance (eigenvector signs fixed so each
/// first entry is ≥ 0), then iterate <c>W ← (W₁W₁ᵀ)^{-1/2} W₁</c>, <c>W₁ = E[g(WX) Xᵀ] − diag(E[g'(WX)]) W</c>, until
/// <c>max_i | |diag(W₁Wᵀ)|_i − 1 | &lt; tol</c>; finally rescale the sources to unit variance. This is scikit-learn's
/// <c>FastICA(algorithm="parallel", whiten="unit-variance")</c>; given the same initial unmixing both follow the same
/// iterates. Hyvärinen &amp; Oja, "Independent component analysis: algorithms and applications", Neural Networks 13, 2000.</remarks>
public sealed class FastIca
{
    private const double SmallestNormal = 2.2250738585072014e-308;   // NumPy's finfo(float64).tiny

    private readonly FastIcaOptions options;
    private readonly IContrast contrast;

    /// <summary>Creates the estimator.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Components &lt; 1, Tolerance not positive, or MaxIterations &lt; 1.</exception>
    /// <exception cref="ArgumentException">InitialUnmixing is not square or has non-finite entries.</exception>
    public FastIca(FastIcaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Components is int k) ArgumentOutOfRangeException.ThrowIfLessThan(k, 1, nameof(options.Components));
        if (!(options.Tolerance > 0))
            throw new ArgumentOutOfRangeException(nameof(options.Tolerance), options.Tolerance, "The tolerance must be positive.");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIterations, 1, nameof(options.MaxIterations));
        if (options.InitialUnmixing is { } w)
        {
            if (w.Rows != w.Columns)
                throw new ArgumentException($"InitialUnmixing must be square (k×k) but is {w.Rows}×{w.Columns}.", nameof(options));
            CheckFinite(w, nameof(options.InitialUnmixing));
        }
        this.options = options;
        contrast = options.Contrast ?? new LogCosh();
    }

    /// <summary>Fits the model to samples <paramref name="x"/> and returns it with the estimated sources.</summary>
    /// <param name="x">Observed mixtures, shape (n, m), n ≥ 2.</param>
    /// <param name="random">Source of the initial unmixing when <see cref="FastIcaOptions.InitialUnmixing"/> is null.</param>
    /// <exception cref="ArgumentException">n &lt; 2, a non-finite entry, k &gt; m, InitialUnmixing is not k×k, or X has
    /// numerical rank below k (some kept direction has zero variance).</exception>
    public FastIcaResult Fit(Matrix x, Random random)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(random);
        int n = x.Rows, m = x.Columns, k = options.Components ?? m;
        if (n < 2) throw new ArgumentException($"x has {n} rows (samples); FastICA needs at least 2.", nameof(x));
        if (m < 1) throw new ArgumentException("x has no columns.", nameof(x));
        if (k > m) throw new ArgumentException($"Components = {k} exceeds the {m} columns of x.", nameof(x));
        CheckFinite(x, nameof(x));
        if (options.InitialUnmixing is { } w0 && w0.Rows != k)
            throw new ArgumentException($"InitialUnmixing is {w0.Rows}×{w0.Columns} but {k} components need {k}×{k}.", nameof(x));

        var (mean, centred) = Centre(x);
        var whitening = Whitening(centred, k);
        var white = Matrix.Multiply(centred, whitening, transposeB: true);          // X₁ = (X − μ) Kᵀ, (n, k), cov = I
        var initial = options.InitialUnmixing?.Clone() ?? Matrix.RandomNormal(k, k, random);
        var (w, iterations, change) = FixedPoint(white, initial);

        var sources = Matrix.Multiply(white, w, transposeB: true);                   // S = X₁ Wᵀ
        var scale = new double[k];
        for (int i = 0; i < n; i++) TensorPrimitives.MultiplyAdd(sources.Row(i), sources.Row(i), scale, scale);
        for (int c = 0; c < k; c++) scale[c] = Math.Sqrt(n / scale[c]);             // 1 / std(S_c)
        for (int i = 0; i < n; i++) TensorPrimitives.Multiply(sources.Row(i), scale, sources.Row(i));
        for (int c = 0; c < k; c++) TensorPrimitives.Multiply(w.Row(c), scale[c], w.Row(c));
        var unmixing = Matrix.Multiply(w, whitening);                                 // (k, m)
        return new FastIcaResult(unmixing, PseudoInverse(unmixing), sources, mean, whitening,
            iterations, change < options.Tolerance, change);
    }

    /// <summary>The fixed-point loop in whitened space; returns W (k, k), the iterations run and the last change.</summary>
    private (Matrix W, int Iterations, double Change) FixedPoint(Matrix white, Matrix initial)
    {
        int n = white.Rows, k = white.Columns;
        var w = SymmetricDecorrelation(initial);
        var projections = new Matrix(k, n);
        var g = new Matrix(k, n);
        var meanSecond = new double[k];
        double change = double.PositiveInfinity;
        int iteration = 0;
        while (iteration < options.MaxIterations)
        {
            iteration++;
            Gemm.Multiply(false, true, k, n, k, 1.0, w.Data, k, white.Data, k, 0.0, projections.Data, n);    // WX₁ᵀ, (k, n)
            Parallel.For(0, k, c =>
                meanSecond[c] = contrast.Apply(projections.Row(c), g.Row(c)));                           // g(WX), E g'(WX)
            var next = new Matrix(k, k);
            Gemm.Multiply(false, false, k, k, n, 1.0 / n, g.Data, n, white.Data, k, 0.0, next.Data, k);    // E[g(WX) X]
            for (int c = 0; c < k; c++) TensorPrimitives.MultiplyAdd(w.Row(c), -meanSecond[c], next.Row(c), next.Row(c));
            next = SymmetricDecorrelation(next);
            change = 0;
            for (int c = 0; c < k; c++)
                change = Math.Max(change, Math.Abs(Math.Abs(TensorPrimitives.Dot<double>(next.Row(c), w.Row(c))) - 1));
            w = next;
            if (change < options.Tolerance) break;
        }
        return (w, iteration, change);
    }

    /// <summary><c>W ← (WWᵀ)^{-1/2} W</c> through the eigendecomposition of WWᵀ (eigenvalues clipped at the smallest normal double).</summary>
    internal static Matrix SymmetricDecorrelation(Matrix w)
    {
        var eigen = LinearAlgebra.EigenSymmetric(Matrix.Multiply(w, w, transposeB: true));
        int k = w.Rows;
        var scaled = eigen.Vectors.Clone();                                           // U diag(s^{-1/2})
        for (int i = 0; i < k; i++)
            for (int c = 0; c < k; c++) scaled[i, c] /= Math.Sqrt(Math.Max(eigen.Values[c], SmallestNormal));
        return Matrix.Multiply(Matrix.Multiply(scaled, eigen.Vectors, transposeB: true), w);
    }

    private static (double[] Mean, Matrix Centred) Centre(Matrix x)
    {
        int n = x.Rows;
        var mean = new double[x.Columns];
        for (int i = 0; i < n; i++) TensorPrimitives.Add(mean, x.Row(i), mean);
        TensorPrimitives.Divide(mean, n, mean);
        var centred = x.Clone();
        for (int i = 0; i < n; i++) TensorPrimitives.Subtract(centred.Row(i), mean, centred.Row(i));
        return (mean, centred);
    }

    /// <summary>K = Λ_k^{-1/2} U_kᵀ (k, m) from the covariance's top-k eigenpairs, each eigenvector's first entry made ≥ 0.</summary>
    private static Matrix Whitening(Matrix centred, int k)
    {
        int n = centred.Rows, m = centred.Columns;
        var covariance = Matrix.Multiply(centred, centred, transposeA: true);
        TensorPrimitives.Divide(covariance.Data, n, covariance.Data);
        var eigen = LinearAlgebra.EigenSymmetric(covariance);
        double floor = 1e-12 * Math.Max(eigen.Values[0], double.Epsilon);
        if (!(eigen.Values[k - 1] > floor))
            throw new ArgumentException(
                $"x has numerical rank {eigen.Values.Count(v => v > floor)} < {k} components: direction {k - 1} has variance " +
                $"{eigen.Values[k - 1]:G3} (largest {eigen.Values[0]:G3}). Ask for fewer components.", "x");
        var whitening = new Matrix(k, m);
        for (int c = 0; c < k; c++)
        {
            double sign = eigen.Vectors[0, c] < 0 ? -1 : 1, scale = sign / Math.Sqrt(eigen.Values[c]);
            for (int j = 0; j < m; j++) whitening[c, j] = scale * eigen.Vectors[j, c];
        }
        return whitening;
    }

    /// <summary>Moore–Penrose inverse of a full-row-rank (k, m) matrix: <c>Aᵀ (A Aᵀ)⁻¹</c>, shape (m, k).</summary>
    private static Matrix PseudoInverse(Matrix a) =>
        LinearAlgebra.Cholesky(Matrix.Multiply(a, a, transposeB: true)).Solve(a).Transpose();

    internal static void CheckFinite(Matrix x, string name)
    {
        for (int i = 0; i < x.Data.Length; i++)
            if (!double.IsFinite(x.Data[i]))
                throw new ArgumentException($"{name}[{i / x.Columns}, {i % x.Columns}] is {x.Data[i]}; every entry must be finite.", name);
    }
}
