namespace Disentangle.Tensors;

/// <summary>The factor of a symmetric positive-definite solve, and the ridge that had to be added to get it.</summary>
/// <param name="Lower">Lower-triangular L with <c>A + jitter·I = L·Lᵀ</c>.</param>
/// <param name="Jitter">0 when A itself was positive definite; otherwise the diagonal shift used.</param>
public sealed record CholeskyFactor(Matrix Lower, double Jitter)
{
    /// <summary>Solves <c>(A + jitter·I) x = b</c> in place for one right-hand side.</summary>
    public void SolveInPlace(Span<double> b)
    {
        int n = Lower.Rows;
        var l = Lower.Data;
        for (int i = 0; i < n; i++)                 // L y = b
        {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i * n + k] * b[k];
            b[i] = s / l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--)            // Lᵀ x = y
        {
            double s = b[i];
            for (int k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
            b[i] = s / l[i * n + i];
        }
    }

    /// <summary>Solves <c>(A + jitter·I) X = B</c> for every column of B; returns X.</summary>
    public Matrix Solve(Matrix b)
    {
        var x = b.Transpose();
        for (int j = 0; j < x.Rows; j++) SolveInPlace(x.Row(j));
        return x.Transpose();
    }
}

/// <summary>Symmetric eigendecomposition <c>A = V·diag(λ)·Vᵀ</c>, eigenvalues in descending order.</summary>
/// <param name="Values">Eigenvalues, descending.</param>
/// <param name="Vectors">Eigenvectors as columns, in the order of <paramref name="Values"/>.</param>
public sealed record SymmetricEigen(double[] Values, Matrix Vectors);

/// <summary>Small dense float64 linear algebra: Cholesky, least squares, symmetric eigendecomposition.</summary>
public static class LinearAlgebra
{
    /// <summary>Cholesky factorisation of a symmetric positive (semi-)definite matrix.</summary>
    /// <remarks>If A is not numerically positive definite, retries with <c>A + δI</c>, δ growing from
    /// <c>1e-12·mean(diag A)</c> by factors of 10; the δ used is reported as <see cref="CholeskyFactor.Jitter"/>.</remarks>
    /// <exception cref="ArgumentException">A is not square, or has non-finite entries.</exception>
    public static CholeskyFactor Cholesky(Matrix a)
    {
        if (a.Rows != a.Columns) throw new ArgumentException($"Cholesky needs a square matrix, got {a.Rows}×{a.Columns}.", nameof(a));
        int n = a.Rows;
        double meanDiagonal = 0;
        for (int i = 0; i < n; i++) meanDiagonal += Math.Abs(a[i, i]);
        meanDiagonal = n == 0 ? 1 : Math.Max(meanDiagonal / n, double.Epsilon);
        if (!double.IsFinite(meanDiagonal)) throw new ArgumentException("Cholesky input has non-finite entries.", nameof(a));
        double jitter = 0;
        for (int attempt = 0; attempt < 20; attempt++)
        {
            var l = TryCholesky(a, jitter);
            if (l is not null) return new CholeskyFactor(l, jitter);
            jitter = jitter == 0 ? 1e-12 * meanDiagonal : jitter * 10;
        }
        throw new ArgumentException("Cholesky failed even with a large diagonal shift: the matrix has non-finite or hugely negative entries.", nameof(a));
    }

    private static Matrix? TryCholesky(Matrix a, double jitter)
    {
        int n = a.Rows;
        var l = new Matrix(n, n);
        var d = l.Data;
        for (int j = 0; j < n; j++)
        {
            double s = a[j, j] + jitter;
            for (int k = 0; k < j; k++) s -= d[j * n + k] * d[j * n + k];
            if (!(s > 0) || !double.IsFinite(s)) return null;
            double ljj = Math.Sqrt(s);
            d[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++)
            {
                double t = a[i, j];
                for (int k = 0; k < j; k++) t -= d[i * n + k] * d[j * n + k];
                d[i * n + j] = t / ljj;
            }
        }
        return l;
    }

    /// <summary>Gram matrix <c>XᵀX</c>.</summary>
    public static Matrix Gram(Matrix x) => Matrix.Multiply(x, x, transposeA: true);

    /// <summary>Least squares <c>argmin_B ‖X B − Y‖²_F</c> through the normal equations (Cholesky, with a reported jitter
    /// fallback for rank-deficient X).</summary>
    /// <param name="x">Design, shape (n, p).</param>
    /// <param name="y">Targets, shape (n, k).</param>
    /// <exception cref="ArgumentException">Row counts differ.</exception>
    public static (Matrix Coefficients, double Jitter) LeastSquares(Matrix x, Matrix y)
    {
        if (x.Rows != y.Rows) throw new ArgumentException($"X has {x.Rows} rows but Y has {y.Rows}; they must match.", nameof(y));
        var factor = Cholesky(Gram(x));
        return (factor.Solve(Matrix.Multiply(x, y, transposeA: true)), factor.Jitter);
    }

    /// <summary>A random orthogonal matrix, uniform (Haar) on O(n): Gram–Schmidt of a standard normal matrix.</summary>
    public static Matrix RandomOrthogonal(int n, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var q = Matrix.RandomNormal(n, n, random).Transpose();       // rows are the vectors to orthonormalise
        for (int i = 0; i < n; i++)
        {
            var qi = q.Row(i);
            for (int j = 0; j < i; j++)                                  // qi −= ⟨qi, qj⟩ qj (twice, for stability)
                for (int pass = 0; pass < 2; pass++)
                {
                    var qj = q.Row(j);
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(qj, -System.Numerics.Tensors.TensorPrimitives.Dot<double>(qi, qj), qi, qi);
                }
            System.Numerics.Tensors.TensorPrimitives.Divide(qi, System.Numerics.Tensors.TensorPrimitives.Norm<double>(qi), qi);
        }
        return q;
    }

    /// <summary>Eigendecomposition of a symmetric matrix by cyclic Jacobi rotations (accurate to machine precision).</summary>
    /// <exception cref="ArgumentException">A is not square.</exception>
    public static SymmetricEigen EigenSymmetric(Matrix a, int maxSweeps = 100)
    {
        if (a.Rows != a.Columns) throw new ArgumentException($"Eigendecomposition needs a square matrix, got {a.Rows}×{a.Columns}.", nameof(a));
        int n = a.Rows;
        var s = a.Clone().Data;
        var v = Matrix.Identity(n).Data;
        for (int sweep = 0; sweep < maxSweeps; sweep++)
        {
            double off = 0, total = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    double x = s[i * n + j] * s[i * n + j];
                    total += x;
                    if (i != j) off += x;
                }
            if (off <= 1e-30 * Math.Max(total, double.Epsilon)) break;
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double apq = s[p * n + q];
                    if (Math.Abs(apq) < 1e-300) continue;
                    double app = s[p * n + p], aqq = s[q * n + q];
                    double theta = (aqq - app) / (2 * apq);                       // rotation zeroing A[p,q]
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), sn = t * c;
                    for (int k = 0; k < n; k++)                                    // A ← A·J
                    {
                        double akp = s[k * n + p], akq = s[k * n + q];
                        s[k * n + p] = c * akp - sn * akq;
                        s[k * n + q] = sn * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)                                    // A ← Jᵀ·A
                    {
                        double apk = s[p * n + k], aqk = s[q * n + k];
                        s[p * n + k] = c * apk - sn * aqk;
                        s[q * n + k] = sn * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++)                                    // V ← V·J
                    {
                        double vkp = v[k * n + p], vkq = v[k * n + q];
                        v[k * n + p] = c * vkp - sn * vkq;
                        v[k * n + q] = sn * vkp + c * vkq;
                    }
                }
        }
        var order = Enumerable.Range(0, n).OrderByDescending(i => s[i * n + i]).ToArray();
        var values = order.Select(i => s[i * n + i]).ToArray();
        var vectors = new Matrix(n, n);
        for (int c = 0; c < n; c++)
            for (int k = 0; k < n; k++) vectors[k, c] = v[k * n + order[c]];
        return new SymmetricEigen(values, vectors);
    }
}
