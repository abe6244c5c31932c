using System.Numerics.Tensors;
using Disentangle.Tensors;

namespace Disentangle.Solvers.GroupSparseSvm;

/// <summary>The primal and dual objectives of the group-sparse Crammer–Singer SVM and the primal–dual link, written out
/// once for the solver, its tests and its users.</summary>
/// <remarks>With <c>Δ = 1 − Y</c> and <c>M(β) = Xᵀ(Y − β)</c>:
/// <c>P(W) = Σ_i max_c [Δ_ic + (XW)_ic − (XW)_{i y_i}] + (λ₂/2)‖W‖²_F + λ₁ Σ_j ‖W_j‖</c>,
/// <c>D(β) = ⟨β, Δ⟩ − (1/(2λ₂))‖BST_rows(M(β), λ₁)‖²_F</c> (maximised over β with rows in the simplex; method.md §6 writes
/// its negative), <c>W(β) = BST_rows(M(β), λ₁)/λ₂</c>, and <c>P(W(β)) − D(β) ≥ 0</c> is the duality gap.</remarks>
public static class GroupSparseSvmObjective
{
    /// <summary>The primal objective P(W).</summary>
    /// <param name="problem">The problem.</param>
    /// <param name="w">Coefficients, shape (p, N).</param>
    public static double Primal(GroupSparseSvmProblem problem, Matrix w)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(w);
        int n = problem.X.Rows, classes = problem.Classes;
        var scores = Matrix.Multiply(problem.X, w);                           // XW, (n, N)
        double hinge = 0;
        for (int i = 0; i < n; i++)
        {
            var s = scores.Row(i);
            double own = s[problem.Labels[i]], worst = 0;                      // c = y_i gives 0
            for (int c = 0; c < classes; c++)
                if (c != problem.Labels[i]) worst = Math.Max(worst, 1 + s[c] - own);
            hinge += worst;
        }
        double groups = 0;
        for (int j = 0; j < w.Rows; j++) groups += TensorPrimitives.Norm<double>(w.Row(j));
        double squared = TensorPrimitives.Dot<double>(w.Data, w.Data);
        return hinge + problem.Lambda2 / 2 * squared + problem.Lambda1 * groups;
    }

    /// <summary>The dual objective D(β) (to maximise).</summary>
    /// <param name="problem">The problem.</param>
    /// <param name="beta">Dual variables, shape (n, N), rows in the simplex.</param>
    public static double Dual(GroupSparseSvmProblem problem, Matrix beta)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var w = Coefficients(problem, beta);
        return Linear(problem.Labels, beta) - problem.Lambda2 / 2 * TensorPrimitives.Dot<double>(w.Data, w.Data);
    }

    /// <summary>The primal–dual link <c>W(β) = BST_rows(Xᵀ(Y − β), λ₁)/λ₂</c>, shape (p, N).</summary>
    /// <param name="problem">The problem.</param>
    /// <param name="beta">Dual variables, shape (n, N).</param>
    /// <exception cref="ArgumentException"><paramref name="beta"/> is not (n, N).</exception>
    public static Matrix Coefficients(GroupSparseSvmProblem problem, Matrix beta)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(beta);
        if (beta.Rows != problem.X.Rows || beta.Columns != problem.Classes)
            throw new ArgumentException($"beta is {beta.Rows}×{beta.Columns} but the problem needs {problem.X.Rows}×{problem.Classes}.", nameof(beta));
        var residual = problem.OneHot();
        for (int i = 0; i < residual.Data.Length; i++) residual.Data[i] -= beta.Data[i];
        var m = Matrix.Multiply(problem.X, residual, transposeA: true);       // M = Xᵀ(Y − β), (p, N)
        var prox = new GroupL2();
        for (int j = 0; j < m.Rows; j++)
        {
            var row = m.Row(j);
            prox.Prox(row, problem.Lambda1, row);
            TensorPrimitives.Multiply(row, 1 / problem.Lambda2, row);
        }
        return m;
    }

    /// <summary><c>⟨β, Δ⟩ = Σ_i (1 − β_{i y_i})</c>.</summary>
    internal static double Linear(int[] labels, Matrix beta)
    {
        double s = 0;
        for (int i = 0; i < labels.Length; i++) s += 1 - beta[i, labels[i]];
        return s;
    }
}
