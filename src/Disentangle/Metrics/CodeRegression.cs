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

    /// <summary>Fits from prepared codes Ẑ (n, m) and factors Z (n, d); also returns their correlations (m, d).</summary>
    /// <remarks>After standardising both sides the least-squares intercept is exactly 0 and the normal equations read
    /// <c>C β = B</c> with the correlation matrices <c>C = corr(Ẑ, Ẑ)</c> (m, m) and <c>B = corr(Ẑ, Z)</c> (m, d): two GEMMs
    /// and a Cholesky solve. When C is singular to working precision (collinear codes), β is instead the minimum-norm
    /// solution through the eigendecomposition of C, as a pseudo-inverse least-squares solver would return.
    /// R² = 1 − ‖Z_s β − z_s‖²/‖z_s‖² = 2βᵀb − βᵀCβ per factor (exact for any β).</remarks>
    public static CodeRegression Fit(CenteredColumns codes, CenteredColumns factors, out Matrix codeFactorCorrelations)
    {
        var c = CenteredColumns.Correlations(codes, codes);
        var b = CenteredColumns.Correlations(codes, factors);
        int m = c.Rows;
        for (int i = 0; i < m; i++)                                           // exact symmetry for the solvers
            for (int j = 0; j < i; j++) c[i, j] = c[j, i] = 0.5 * (c[i, j] + c[j, i]);
        var factor = LinearAlgebra.Cholesky(c);
        (Matrix beta, int rank) = factor.Jitter == 0 ? (factor.Solve(b), m) : MinimumNorm(c, b);
        codeFactorCorrelations = b;
        return new CodeRegression(beta, CoefficientsOfDetermination(c, b, beta), rank);
    }

    /// <summary>Checks and prepares both matrices, then fits (the public entry of R and DCI).</summary>
    public static CodeRegression Fit(Matrix trueLatents, Matrix learnedLatents)
    {
        Inputs.CheckPair(trueLatents, learnedLatents, nameof(trueLatents), nameof(learnedLatents));
        return Fit(CenteredColumns.Prepare(learnedLatents, nameof(learnedLatents), ranks: false),
            CenteredColumns.Prepare(trueLatents, nameof(trueLatents), ranks: false), out _);
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
