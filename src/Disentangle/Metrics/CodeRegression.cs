using Disentangle.Tensors;

namespace Disentangle.Metrics;

/// <summary>Least-squares regression of every standardised true factor on all standardised learned codes.</summary>
/// <param name="Coefficients">Standardised coefficients β, shape (m codes, d factors): <c>z_j ≈ Σ_i β_ij ẑ_i</c>.</param>
/// <param name="RSquared">In-sample coefficient of determination of each factor's regression, length d, clipped to [0, 1].</param>
/// <param name="CodeRank">Numerical rank of the codes' correlation matrix (m unless codes are collinear).</param>
internal sealed record CodeRegression(Matrix Coefficients, double[] RSquared, int CodeRank)
{
    /// <summary>Eigenvalues of the codes' correlation matrix below this fraction of the largest are treated as zero.</summary>
    public const double RankTolerance = 1e-12;

    /// <summary>Fits from unit columns <c>S = [Ẑ_s | Z_s]</c> (n, m + d), whose Gram blocks are correlations.</summary>
    /// <remarks>With centred, unit-norm columns the intercept of the least-squares fit is exactly 0 and the normal
    /// equations read <c>C β = B</c>, <c>C = Ẑ_sᵀẐ_s</c> (m, m), <c>B = Ẑ_sᵀZ_s</c> (m, d). One GEMM gives [C | B]; a
    /// Cholesky solve gives β. When C is singular to working precision (collinear codes), β is instead the minimum-norm
    /// solution through the eigendecomposition of C, as a pseudo-inverse least-squares solver would return.
    /// R² = 1 − ‖Z_s β − z_s‖² = 2βᵀb − βᵀCβ per factor (exact for any β).</remarks>
    public static CodeRegression Fit(Matrix s, int m) => Fit(s, m, out _);

    /// <inheritdoc cref="Fit(Matrix, int)"/>
    /// <param name="s">Unit columns [Ẑ_s | Z_s], shape (n, m + d).</param>
    /// <param name="m">Number of code columns.</param>
    /// <param name="codeFactorCorrelations">B = Ẑ_sᵀZ_s (m, d): the Pearson correlations, clipped to [−1, 1].</param>
    public static CodeRegression Fit(Matrix s, int m, out Matrix codeFactorCorrelations)
    {
        int n = s.Rows, p = s.Columns, d = p - m;
        var gram = new Matrix(m, p);                                          // [C | B] = Ẑ_sᵀ [Ẑ_s | Z_s]
        Gemm.Multiply(true, false, m, p, n, 1.0, s.Data, p, s.Data, p, 0.0, gram.Data, p);
        var c = new Matrix(m, m);
        var b = new Matrix(m, d);
        for (int i = 0; i < m; i++)
        {
            gram.Data.AsSpan(i * p, m).CopyTo(c.Row(i));
            gram.Data.AsSpan(i * p + m, d).CopyTo(b.Row(i));
        }
        for (int i = 0; i < m; i++)                                           // exact symmetry for the solvers
            for (int j = 0; j < i; j++) c[i, j] = c[j, i] = 0.5 * (c[i, j] + c[j, i]);

        var factor = LinearAlgebra.Cholesky(c);
        (Matrix beta, int rank) = factor.Jitter == 0 ? (factor.Solve(b), m) : MinimumNorm(c, b);
        var result = new CodeRegression(beta, CoefficientsOfDetermination(c, b, beta), rank);
        codeFactorCorrelations = b;
        Correlation.Clamp(b.Data);
        return result;
    }

    private static (Matrix Beta, int Rank) MinimumNorm(Matrix c, Matrix b)
    {
        var eigen = LinearAlgebra.EigenSymmetric(c);                         // C = V Λ Vᵀ
        int m = c.Rows;
        double cutoff = RankTolerance * Math.Max(eigen.Values[0], double.Epsilon);
        var projected = Matrix.Multiply(eigen.Vectors, b, transposeA: true); // Vᵀ B
        int rank = 0;
        for (int k = 0; k < m; k++)
        {
            double scale = eigen.Values[k] > cutoff ? 1 / eigen.Values[k] : 0;  // Λ⁺
            if (scale != 0) rank++;
            foreach (ref double v in projected.Row(k)) v *= scale;
        }
        return (Matrix.Multiply(eigen.Vectors, projected), rank);            // β = V Λ⁺ Vᵀ B
    }

    private static double[] CoefficientsOfDetermination(Matrix c, Matrix b, Matrix beta)
    {
        int m = c.Rows, d = b.Columns;
        var cBeta = Matrix.Multiply(c, beta);
        var r2 = new double[d];
        for (int j = 0; j < d; j++)
        {
            double fit = 0, curvature = 0;
            for (int i = 0; i < m; i++)
            {
                fit += beta[i, j] * b[i, j];
                curvature += beta[i, j] * cBeta[i, j];
            }
            r2[j] = Math.Clamp(2 * fit - curvature, 0.0, 1.0);             // R² = 1 − ‖residual‖² with ‖z_s‖ = 1
        }
        return r2;
    }
}
