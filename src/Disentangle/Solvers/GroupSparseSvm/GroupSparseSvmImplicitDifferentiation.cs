using System.Numerics.Tensors;
using Disentangle.Tensors;

namespace Disentangle.Solvers.GroupSparseSvm;

/// <summary>Implicit differentiation of <c>W(β*(X), X)</c> for the dual group-sparse SVM (method.md §6).</summary>
/// <remarks>
/// β* is a fixed point of <c>β = Proj_Δ(β − η∇f(β, X))</c>, with <c>∇f = −XW(β) − Δ</c> and
/// <c>W(β) = BST_rows(M, λ₁)/λ₂</c>, <c>M = Xᵀ(Y − β)</c>. Both maps are piecewise linear / smooth: the projection's
/// Jacobian is P, the orthogonal projector onto the tangent space of the face of β* (per row, vectors supported on
/// <c>S_i = {c : β_ic &gt; 0}</c> summing to zero), and BST's is <c>J_j = s_j I + (λ₁/‖M_j‖³) M_j M_jᵀ</c> on rows with
/// <c>‖M_j‖ &gt; λ₁</c> (<c>s_j = 1 − λ₁/‖M_j‖</c>), 0 elsewhere. Differentiating the fixed point gives
/// <c>PHP dβ = −P ∂_X∇f dX</c> with <c>H = X J Xᵀ/λ₂</c> (independent of η). For a cotangent g = ∂L/∂W:
/// <c>r = J(g)/λ₂</c>, <c>v = ∂L/∂β = −X r</c>, <c>u = (PHP)⁺ P v</c> (solved in an orthonormal basis of the face, by
/// Cholesky, or by the pseudo-inverse when the dual solution is not unique), <c>s = J(Xᵀu)/λ₂</c>, and
/// <c>∂L/∂X = (Y − β)(r + s)ᵀ + u Wᵀ</c>.
/// </remarks>
internal static class GroupSparseSvmImplicitDifferentiation
{
    /// <summary>Dual entries above this value count as the face's support.</summary>
    internal const double FaceThreshold = 1e-10;

    public static GroupSparseSvmGradient Vjp(GroupSparseSvmProblem problem, GroupSparseSvmSolution solution, Matrix cotangent)
    {
        var x = problem.X;
        int n = x.Rows, p = x.Columns, classes = problem.Classes;
        if (solution.Support.Length == 0) return new GroupSparseSvmGradient(new Matrix(n, p), 0, 0);   // W* ≡ 0 nearby
        double lambda2 = problem.Lambda2;
        var residual = problem.OneHot();                                                  // Y − β
        for (int i = 0; i < residual.Data.Length; i++) residual.Data[i] -= solution.Beta.Data[i];
        var m = Matrix.Multiply(x, residual, transposeA: true);                           // M, (p, N)
        var bst = new BstJacobian(m, problem.Lambda1);

        var r = bst.Apply(cotangent, 1 / lambda2);                                       // r = J(g)/λ₂
        var v = Matrix.Multiply(x, r);                                                    // v = −X r (sign applied below)
        var (rowOf, basis) = FaceBasis(solution.Beta);
        int d = rowOf.Length, rank = 0;
        var u = new Matrix(n, classes);
        if (d > 0)
        {
            var system = FaceSystem(x, bst, rowOf, basis, classes, lambda2);
            var rhs = new double[d];
            for (int a = 0; a < d; a++)
                rhs[a] = -TensorPrimitives.Dot<double>(basis.Row(a), v.Row(rowOf[a]));   // Qᵀ v
            rank = ImplicitDifferentiation.SolveSymmetric(system, rhs);
            for (int a = 0; a < d; a++)
                TensorPrimitives.MultiplyAdd<double>(basis.Row(a), rhs[a], u.Row(rowOf[a]), u.Row(rowOf[a]));   // u = Q z
        }
        var s = bst.Apply(Matrix.Multiply(x, u, transposeA: true), 1 / lambda2);          // s = J(Xᵀu)/λ₂
        TensorPrimitives.Add<double>(r.Data, s.Data, r.Data);                               // r + s
        var dx = new Matrix(n, p);
        Gemm.Multiply(false, true, n, p, classes, 1.0, residual.Data, classes, r.Data, classes, 0.0, dx.Data, p);       // (Y − β)(r + s)ᵀ
        Gemm.Multiply(false, true, n, p, classes, 1.0, u.Data, classes, solution.W.Data, classes, 1.0, dx.Data, p);    // + u Wᵀ
        return new GroupSparseSvmGradient(dx, d, rank);
    }

    /// <summary>An orthonormal basis of the face's tangent space: for each row with support S (|S| ≥ 2), the |S| − 1
    /// Helmert vectors <c>(Σ_{l&lt;k} e_{S_l} − k e_{S_k})/√(k(k+1))</c>. Returns each vector's row and the vectors (d, N).</summary>
    private static (int[] RowOf, Matrix Basis) FaceBasis(Matrix beta)
    {
        int classes = beta.Columns;
        var rows = new List<int>();
        var vectors = new List<double[]>();
        var support = new List<int>(classes);
        for (int i = 0; i < beta.Rows; i++)
        {
            support.Clear();
            for (int c = 0; c < classes; c++)
                if (beta[i, c] > FaceThreshold) support.Add(c);
            for (int k = 1; k < support.Count; k++)
            {
                var h = new double[classes];
                double norm = Math.Sqrt(k * (k + 1.0));
                for (int l = 0; l < k; l++) h[support[l]] = 1 / norm;
                h[support[k]] = -k / norm;
                rows.Add(i);
                vectors.Add(h);
            }
        }
        var basis = new Matrix(vectors.Count, classes);
        for (int a = 0; a < vectors.Count; a++) vectors[a].CopyTo(basis.Row(a));
        return ([.. rows], basis);
    }

    /// <summary><c>QᵀHQ</c>: <c>A_ab = [(X diag(s) Xᵀ)_{i_a i_b} h_a·h_b + Σ_j t_j x_{i_a j}x_{i_b j}(M_j·h_a)(M_j·h_b)]/λ₂</c>.</summary>
    private static Matrix FaceSystem(Matrix x, BstJacobian bst, int[] rowOf, Matrix basis, int classes, double lambda2)
    {
        int n = x.Rows, p = x.Columns, d = rowOf.Length;
        var scaled = x.Clone();
        for (int i = 0; i < n; i++) TensorPrimitives.Multiply<double>(scaled.Row(i), bst.Scale, scaled.Row(i));
        var kernel = Matrix.Multiply(scaled, x, transposeB: true);                           // X diag(s) Xᵀ, (n, n)
        var system = new Matrix(d, d);
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++)
                system[a, b] = kernel[rowOf[a], rowOf[b]] * TensorPrimitives.Dot<double>(basis.Row(a), basis.Row(b)) / lambda2;
        if (!bst.HasCurvature) return system;
        var projections = Matrix.Multiply(basis, bst.M, transposeB: true);                  // (M_j·h_a), (d, p)
        var factor = new Matrix(d, p);                                                      // U_aj = x_{i_a j}(M_j·h_a)√t_j
        for (int a = 0; a < d; a++)
        {
            var row = factor.Row(a);
            TensorPrimitives.Multiply<double>(x.Row(rowOf[a]), projections.Row(a), row);
            TensorPrimitives.Multiply<double>(row, bst.RootCurvature, row);
        }
        Gemm.Multiply(false, true, d, d, p, 1 / lambda2, factor.Data, p, factor.Data, p, 1.0, system.Data, d);   // + U Uᵀ/λ₂
        return system;
    }
}
