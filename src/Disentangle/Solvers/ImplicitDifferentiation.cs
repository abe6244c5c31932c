using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>Implicit differentiation of <c>Ŵ = argmin ‖XW − Y‖²_F/(2n) + λΣ_j ψ(W_j)</c> on the generalized support
/// (method.md §3; jaxopt's <c>root_vjp</c> restricted to the active coefficients E).</summary>
/// <remarks>On E the optimality condition is <c>F = [(1/n)Xᵀ(XW − Y) + λ∇ψ(W)]_E = 0</c>, with Jacobian
/// <c>A = (1/n)(XᵀX ⊗ I_k)_E + λ∇²ψ(W)_E</c> (symmetric). With <c>u = −A⁻¹g_E</c> scattered into U (m, k):
/// <c>∂L/∂X = (1/n)[(XW − Y)Uᵀ + XUWᵀ]</c>, <c>∂L/∂Y = −(1/n)XU</c>, <c>∂L/∂λ = ⟨u, ∇ψ(W)_E⟩</c>.
/// A singular A (collinear active features) is solved in the least-squares sense by its pseudo-inverse, and reported.</remarks>
public static partial class ImplicitDifferentiation
{
    private const double RankTolerance = 1e-12;

    /// <summary>The VJP of the solution map at <paramref name="w"/> for the cotangent g = ∂L/∂W.</summary>
    /// <param name="penalty">The penalty ψ.</param>
    /// <param name="x">Features, shape (n, m).</param>
    /// <param name="w">The solution, shape (m, k).</param>
    /// <param name="residual">R = Y − XW, shape (n, k).</param>
    /// <param name="lambda">λ.</param>
    /// <param name="cotangent">g = ∂L/∂W, shape (m, k); entries outside the support are ignored.</param>
    public static InnerGradient Vjp(IPenalty penalty, Matrix x, Matrix w, Matrix residual, double lambda, Matrix cotangent)
        => (penalty is GroupL2 && w.Columns > 1 ? GroupVjp(x, w, residual, lambda, cotangent) : null)
           ?? DenseVjp(penalty, x, w, residual, lambda, cotangent);

    /// <summary>The general path: assembles the a×a system on the active entries and solves it densely.</summary>
    internal static InnerGradient DenseVjp(IPenalty penalty, Matrix x, Matrix w, Matrix residual, double lambda, Matrix cotangent)
    {
        int n = x.Rows, m = x.Columns, k = w.Columns;
        var (rows, entries) = ActiveEntries(penalty, w);
        int a = entries.Length;
        if (a == 0) return new InnerGradient(new Matrix(n, m), new Matrix(n, k), 0, 0, 0);

        var system = BuildSystem(penalty, x, w, lambda, rows, entries);
        var rhs = new double[a];
        for (int p = 0; p < a; p++) rhs[p] = -cotangent.Data[entries[p]];           // Aᵀu = −g_E
        int rank = SolveSymmetric(system, rhs);

        var u = new Matrix(m, k);
        double dLambda = 0;
        var gradient = new double[k];
        var mask = new bool[k];
        for (int p = 0; p < a; p++) u.Data[entries[p]] = rhs[p];
        int offset = 0;
        foreach (int j in rows)                                                       // ∂L/∂λ = ⟨u, ∇ψ(W)_E⟩
        {
            int count = penalty.ActiveEntries(w.Row(j), mask);
            penalty.ActiveGradient(w.Row(j), gradient);
            for (int q = 0; q < count; q++) dLambda += rhs[offset + q] * gradient[q];
            offset += count;
        }
        var (dx, dy) = PullBack(x, w, residual, u, rows);
        return new InnerGradient(dx, dy, dLambda, a, rank);
    }

    /// <summary><c>∂L/∂X = (1/n)[−R Uᵀ + (XU)Wᵀ]</c> and <c>∂L/∂Y = −(1/n)XU</c> for the adjoint U (m, k).</summary>
    internal static (Matrix DX, Matrix DY) PullBack(Matrix x, Matrix w, Matrix residual, Matrix u)
    {
        int n = x.Rows, m = x.Columns, k = w.Columns;
        var xu = Matrix.Multiply(x, u);                                               // XU, (n, k)
        var dx = new Matrix(n, m);
        Gemm.Multiply(false, true, n, m, k, -1.0 / n, residual.Data, k, u.Data, k, 0.0, dx.Data, m);   // −R Uᵀ / n
        Gemm.Multiply(false, true, n, m, k, 1.0 / n, xu.Data, k, w.Data, k, 1.0, dx.Data, m);          // + XU Wᵀ / n
        var dy = new Matrix(n, k);
        for (int i = 0; i < dy.Data.Length; i++) dy.Data[i] = -xu.Data[i] / n;
        return (dx, dy);
    }

    /// <summary><see cref="PullBack(Matrix, Matrix, Matrix, Matrix)"/> when U and W vanish outside the rows
    /// <paramref name="rows"/>: only those columns of ∂L/∂X are non-zero, and only they are computed.</summary>
    internal static (Matrix DX, Matrix DY) PullBack(Matrix x, Matrix w, Matrix residual, Matrix u, int[] rows)
    {
        int n = x.Rows, m = x.Columns, k = w.Columns;
        var dy = new Matrix(n, k);                                                    // −XU/n = −X_S U_S / n
        var dx = new Matrix(n, m);
        Span<double> xu = k <= 64 ? stackalloc double[k] : new double[k];
        for (int i = 0; i < n; i++)
        {
            var xi = x.Row(i);
            xu.Clear();
            foreach (int j in rows) System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(u.Row(j), xi[j], xu, xu);
            var ri = residual.Row(i);
            var dxi = dx.Row(i);
            foreach (int j in rows)                                                   // (−R_i·U_j + (XU)_i·W_j) / n
                dxi[j] = (System.Numerics.Tensors.TensorPrimitives.Dot(xu, w.Row(j)) - System.Numerics.Tensors.TensorPrimitives.Dot(ri, u.Row(j))) / n;
            var dyi = dy.Row(i);
            for (int c = 0; c < k; c++) dyi[c] = -xu[c] / n;
        }
        return (dx, dy);
    }

    /// <summary>Rows with an active entry, and the flat indices j·k + c of the active entries (row-major order).</summary>
    private static (int[] Rows, int[] Entries) ActiveEntries(IPenalty penalty, Matrix w)
    {
        int k = w.Columns;
        var mask = new bool[k];
        var rows = new List<int>();
        var entries = new List<int>();
        for (int j = 0; j < w.Rows; j++)
        {
            if (penalty.ActiveEntries(w.Row(j), mask) == 0) continue;
            rows.Add(j);
            for (int c = 0; c < k; c++)
                if (mask[c]) entries.Add(j * k + c);
        }
        return (rows.ToArray(), entries.ToArray());
    }

    /// <summary>A = (1/n)(X_SᵀX_S ⊗ I_k) on the active entries, plus each row's curvature block.</summary>
    private static Matrix BuildSystem(IPenalty penalty, Matrix x, Matrix w, double lambda, int[] rows, int[] entries)
    {
        int n = x.Rows, k = w.Columns, s = rows.Length, a = entries.Length;
        var gram = RestrictedGram(x, rows);
        var start = new int[s + 1];                                                   // entries of row q: [start[q], start[q+1])
        for (int q = 0, p = 0; q < s; q++)
        {
            while (p < a && entries[p] / k == rows[q]) p++;
            start[q + 1] = p;
        }
        var system = new Matrix(a, a);
        for (int q = 0; q < s; q++)
            for (int r = 0; r < s; r++)
            {
                double value = gram[q, r] / n;
                for (int p = start[q]; p < start[q + 1]; p++)                          // δ_cd: same output column
                    for (int t = start[r]; t < start[r + 1]; t++)
                        if (entries[p] % k == entries[t] % k) system.Data[p * a + t] = value;
            }
        for (int q = 0; q < s; q++)                                                   // + λ∇²ψ(W_j) on the diagonal block
        {
            int count = start[q + 1] - start[q], offset = start[q];
            var curvature = new double[count * count];
            penalty.AddCurvature(w.Row(rows[q]), lambda, curvature);
            for (int p = 0; p < count; p++)
                for (int t = 0; t < count; t++) system.Data[(offset + p) * a + offset + t] += curvature[p * count + t];
        }
        return system;
    }

    /// <summary>X_SᵀX_S for the columns <paramref name="rows"/> of X.</summary>
    private static Matrix RestrictedGram(Matrix x, int[] rows)
    {
        int n = x.Rows, m = x.Columns, s = rows.Length;
        var xs = new Matrix(n, s);
        for (int i = 0; i < n; i++)
            for (int q = 0; q < s; q++) xs.Data[i * s + q] = x.Data[i * m + rows[q]];
        return Matrix.Multiply(xs, xs, transposeA: true);
    }

    /// <summary>Solves A x = b in place (A symmetric positive semi-definite); returns the numerical rank of A. Uses Cholesky,
    /// and the pseudo-inverse from a symmetric eigendecomposition when A is singular.</summary>
    internal static int SolveSymmetric(Matrix a, double[] b)
    {
        var factor = LinearAlgebra.Cholesky(a);
        if (factor.Jitter == 0)
        {
            factor.SolveInPlace(b);
            return a.Rows;
        }
        var eigen = LinearAlgebra.EigenSymmetric(a);
        double cutoff = RankTolerance * a.Rows * Math.Max(eigen.Values[0], double.Epsilon);
        var projected = eigen.Vectors.TransposeMultiply(b);                           // Vᵀb
        int rank = 0;
        for (int i = 0; i < projected.Length; i++)
        {
            if (eigen.Values[i] > cutoff) { projected[i] /= eigen.Values[i]; rank++; }
            else projected[i] = 0;
        }
        eigen.Vectors.Multiply(projected).CopyTo(b, 0);                               // x = V Λ⁺ Vᵀ b
        return rank;
    }
}
