using Disentangle.Tensors;

namespace Disentangle.Solvers;

public static partial class ImplicitDifferentiation
{
    /// <summary>Group-Lasso fast path: the |S|k×|S|k system solved through |S|×|S| ones (tested equal to the dense path).</summary>
    /// <remarks>With <c>μ_j = λ/‖W_j‖</c>, <c>ŵ_j = W_j/‖W_j‖</c>, <c>H = X_SᵀX_S/n + diag(μ)</c> and <c>P = [e_j ⊗ ŵ_j]</c>:
    /// <c>A = (H ⊗ I_k) − P diag(μ) Pᵀ</c>, so by Woodbury
    /// <c>A⁻¹b = Z + H⁻¹Q</c> with <c>Z = H⁻¹B</c>, <c>Q_j = q_j ŵ_j</c>, <c>K q = (ŵ_j·Z_j)_j</c>,
    /// <c>K = diag(1/μ) − H⁻¹ ∘ (ŵ_j·ŵ_l)</c>. Cost O(|S|³ + |S|²k) instead of O(|S|³k³). Returns null when K is singular
    /// (A is), leaving the dense path's pseudo-inverse to handle it.</remarks>
    private static InnerGradient? GroupVjp(Matrix x, Matrix w, Matrix residual, double lambda, Matrix cotangent)
    {
        int n = x.Rows, k = w.Columns;
        int[] rows = LassoSolver.SupportOf(w);
        int s = rows.Length;
        if (s == 0 || lambda == 0) return null;
        var unit = new Matrix(s, k);                                                  // ŵ_j
        var mu = new double[s];
        for (int q = 0; q < s; q++)
        {
            var wj = w.Row(rows[q]);
            double norm = System.Numerics.Tensors.TensorPrimitives.Norm<double>(wj);
            mu[q] = lambda / norm;
            System.Numerics.Tensors.TensorPrimitives.Multiply<double>(wj, 1 / norm, unit.Row(q));
        }
        var h = RestrictedGram(x, rows);
        for (int i = 0; i < h.Data.Length; i++) h.Data[i] /= n;
        for (int q = 0; q < s; q++) h[q, q] += mu[q];                                 // H = X_SᵀX_S/n + diag(μ)
        var hFactor = LinearAlgebra.Cholesky(h);
        if (hFactor.Jitter != 0) return null;
        var b = new Matrix(s, k);
        for (int q = 0; q < s; q++)
            for (int c = 0; c < k; c++) b[q, c] = -cotangent[rows[q], c];            // B = −g_S
        var z = hFactor.Solve(b);                                                     // Z = H⁻¹B
        var hInverse = hFactor.Solve(Matrix.Identity(s));
        var kMatrix = new Matrix(s, s);
        var t = new double[s];
        for (int q = 0; q < s; q++)
        {
            t[q] = Dot(unit.Row(q), z.Row(q));
            for (int r = 0; r < s; r++)
                kMatrix[q, r] = (q == r ? 1 / mu[q] : 0) - hInverse[q, r] * Dot(unit.Row(q), unit.Row(r));
        }
        var kFactor = LinearAlgebra.Cholesky(kMatrix);
        if (kFactor.Jitter != 0) return null;
        kFactor.SolveInPlace(t);                                                      // q = K⁻¹ t
        var scaled = new Matrix(s, k);
        for (int q = 0; q < s; q++)
            System.Numerics.Tensors.TensorPrimitives.Multiply<double>(unit.Row(q), t[q], scaled.Row(q));
        var correction = Matrix.Multiply(hInverse, scaled);                           // H⁻¹Q
        var u = new Matrix(w.Rows, k);
        double dLambda = 0;
        for (int q = 0; q < s; q++)
        {
            var uq = u.Row(rows[q]);
            System.Numerics.Tensors.TensorPrimitives.Add<double>(z.Row(q), correction.Row(q), uq);
            dLambda += Dot(uq, unit.Row(q));                                          // ∂L/∂λ = Σ_j u_j·ŵ_j
        }
        var (dx, dy) = PullBack(x, w, residual, u, rows);
        return new InnerGradient(dx, dy, dLambda, s * k, s * k);
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);
}
