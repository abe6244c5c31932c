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
    private const int SampleBlock = 1024;                            // samples per fused block (fits in L1/L2)
    private const int UpdateChunks = 16;                             // fixed parallel partition of the samples

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
            throw new ArgumentException($"InitialUnmixing is {w0.Rows}×{w0.Columns} but {k} components need {k}×{k}.", nameof(FastIcaOptions.InitialUnmixing));

        var (mean, centred) = Centre(x);
        var whitening = Whitening(centred, k);
        var white = new Matrix(k, n);                                                // X₁ = K (X − μ)ᵀ, (k, n), cov = I
        Gemm.Multiply(false, true, k, n, m, 1.0, whitening.Data, m, centred.Data, m, 0.0, white.Data, n);
        var initial = options.InitialUnmixing?.Clone() ?? Matrix.RandomNormal(k, k, random);
        var (w, iterations, change) = FixedPoint(white, initial);

        var projected = Matrix.Multiply(w, white);                                    // S = W X₁, (k, n)
        var sources = new Matrix(n, k);
        for (int c = 0; c < k; c++)
        {
            var row = projected.Row(c);
            double scale = Math.Sqrt(n / TensorPrimitives.SumOfSquares<double>(row));  // 1 / std(S_c); mean is 0
            TensorPrimitives.Multiply(w.Row(c), scale, w.Row(c));
            for (int i = 0; i < n; i++) sources.Data[i * k + c] = scale * row[i];
        }
        var unmixing = Matrix.Multiply(w, whitening);                                 // (k, m)
        return new FastIcaResult(unmixing, PseudoInverse(unmixing), sources, mean, whitening,
            iterations, change < options.Tolerance, change);
    }

    /// <summary>The fixed-point loop in whitened space (X₁ stored (k, n)); returns W (k, k), the iterations run and the last change.</summary>
    private (Matrix W, int Iterations, double Change) FixedPoint(Matrix white, Matrix initial)
    {
        int k = white.Rows;
        var w = SymmetricDecorrelation(initial);
        double change = double.PositiveInfinity;
        int iteration = 0;
        while (iteration < options.MaxIterations)
        {
            iteration++;
            var next = Update(white, w);
            next = SymmetricDecorrelation(next);
            change = 0;
            for (int c = 0; c < k; c++)
                change = Math.Max(change, Math.Abs(Math.Abs(TensorPrimitives.Dot<double>(next.Row(c), w.Row(c))) - 1));
            w = next;
            if (change < options.Tolerance) break;
        }
        return (w, iteration, change);
    }

    /// <summary>One fixed-point step before decorrelation: <c>W₁ = E[g(WX₁) X₁ᵀ] − diag(E[g'(WX₁)]) W</c>.</summary>
    /// <remarks>Samples are processed in cache-sized blocks (projection, contrast and the product with X₁ᵀ fused per block),
    /// in a fixed number of chunks run in parallel and summed in chunk order, so results do not depend on thread count.</remarks>
    private Matrix Update(Matrix white, Matrix w)
    {
        int k = white.Rows, n = white.Columns;
        int chunks = Math.Min(UpdateChunks, Math.Max(1, n / SampleBlock));
        var partial = new double[chunks][];
        Parallel.For(0, chunks, Parallelism.Options, chunk =>
            partial[chunk] = AccumulateChunk(white, w, contrast, (int)((long)n * chunk / chunks), (int)((long)n * (chunk + 1) / chunks)));
        var next = new Matrix(k, k);
        var secondMoment = new double[k];
        foreach (var sums in partial)                                                 // merged in chunk order: deterministic
        {
            TensorPrimitives.Add(next.Data, sums.AsSpan(0, k * k), next.Data);
            TensorPrimitives.Add(secondMoment, sums.AsSpan(k * k, k), secondMoment);
        }
        TensorPrimitives.Divide(next.Data, n, next.Data);
        for (int c = 0; c < k; c++) TensorPrimitives.MultiplyAdd(w.Row(c), -secondMoment[c] / n, next.Row(c), next.Row(c));
        return next;
    }

    /// <summary>Over samples [first, last): returns Σ g(u) x₁ᵀ (k·k, row c for component c) followed by Σ g'(u) (k).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static double[] AccumulateChunk(Matrix white, Matrix w, IContrast contrast, int first, int last)
    {
        int k = white.Rows;
        var sums = new double[k * k + k];
        var u = new double[SampleBlock];
        var g = new double[SampleBlock];
        for (int start = first; start < last; start += SampleBlock)
        {
            int length = Math.Min(SampleBlock, last - start);
            var uc = u.AsSpan(0, length);
            var gc = g.AsSpan(0, length);
            for (int c = 0; c < k; c++)
            {
                uc.Clear();                                                           // u = Σ_j W_cj x₁_j on the block
                for (int j = 0; j < k; j++) TensorPrimitives.MultiplyAdd(white.Row(j).Slice(start, length), w[c, j], uc, uc);
                sums[k * k + c] += length * contrast.Apply(uc, gc);
                for (int j = 0; j < k; j++) sums[c * k + j] += TensorPrimitives.Dot<double>(gc, white.Row(j).Slice(start, length));
            }
        }
        return sums;
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
