using Disentangle.Tensors;

namespace Disentangle.Solvers.GroupSparseSvm;

/// <summary>One few-shot task's head: the Crammer–Singer multiclass SVM with a group-Lasso penalty on the rows of W
/// (method.md §6).</summary>
/// <remarks><c>P(W) = Σ_i max_c [1 − Y_ic + x_iᵀw_c − x_iᵀw_{y_i}] + (λ₂/2)‖W‖²_F + λ₁ Σ_j ‖W_{j,:}‖</c>.
/// λ₁ = 0 is the plain Crammer–Singer SVM of MetaOptNet; scikit-learn's
/// <c>LinearSVC(multi_class="crammer_singer", C, fit_intercept=False)</c> minimises <c>P/λ₂</c> with <c>C = 1/λ₂</c>
/// and its <c>coef_</c> is Wᵀ.</remarks>
/// <param name="X">Support features, shape (n, p).</param>
/// <param name="Labels">Class of each sample, length n, in [0, Classes).</param>
/// <param name="Classes">Number of classes N ≥ 2.</param>
/// <param name="Lambda1">Group-Lasso weight λ₁ ≥ 0.</param>
/// <param name="Lambda2">Ridge weight λ₂ &gt; 0 (MetaOptNet's C = 0.1 is λ₂ = 10).</param>
public sealed record GroupSparseSvmProblem(Matrix X, int[] Labels, int Classes, double Lambda1, double Lambda2)
{
    /// <summary>Throws when the problem is malformed; called at the solver's public boundary.</summary>
    /// <exception cref="ArgumentException">Empty or non-finite X, a label count that differs from X's rows, or a label
    /// outside [0, Classes).</exception>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than two classes, λ₁ &lt; 0, λ₂ ≤ 0 or a non-finite λ.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(X, "problem.X");
        ArgumentNullException.ThrowIfNull(Labels, "problem.Labels");
        if (X.Rows == 0 || X.Columns == 0)
            throw new ArgumentException($"The support features problem.X are empty ({X.Rows}×{X.Columns}).", "problem.X");
        if (Labels.Length != X.Rows)
            throw new ArgumentException($"problem.X has {X.Rows} rows but problem.Labels has {Labels.Length} labels; they must match.", "problem.Labels");
        if (Classes < 2)
            throw new ArgumentOutOfRangeException("problem.Classes", Classes, "A multiclass SVM needs at least 2 classes.");
        for (int i = 0; i < Labels.Length; i++)
            if ((uint)Labels[i] >= (uint)Classes)
                throw new ArgumentException($"problem.Labels[{i}] = {Labels[i]} is outside [0, {Classes}).", "problem.Labels");
        InputChecks.CheckFinite(X, "problem.X");
        Guard.NonNegative(Lambda1, "problem.Lambda1");
        if (!double.IsFinite(Lambda2) || Lambda2 <= 0)
            throw new ArgumentOutOfRangeException("problem.Lambda2", Lambda2, $"λ₂ = {Lambda2}; it must be finite and > 0.");
    }

    /// <summary>Throws unless <paramref name="beta"/> (a starting dual point) is (n, N) and finite.</summary>
    /// <exception cref="ArgumentException">The shape differs or an entry is not finite.</exception>
    public void CheckDualPoint(Matrix beta, string name)
    {
        ArgumentNullException.ThrowIfNull(beta, name);
        if (beta.Rows != X.Rows || beta.Columns != Classes)
            throw new ArgumentException($"{name} is {beta.Rows}×{beta.Columns} but β is {X.Rows}×{Classes}.", name);
        InputChecks.CheckFinite(beta, name);
    }

    /// <summary>Throws unless <paramref name="solution"/> has the shapes of this problem's (β (n, N), W (p, N)).</summary>
    /// <exception cref="ArgumentException">A shape differs.</exception>
    public void CheckSolution(GroupSparseSvmSolution solution)
    {
        ArgumentNullException.ThrowIfNull(solution);
        if (solution.Beta.Rows != X.Rows || solution.Beta.Columns != Classes || solution.W.Rows != X.Columns || solution.W.Columns != Classes)
            throw new ArgumentException($"The solution (β {solution.Beta.Rows}×{solution.Beta.Columns}, W {solution.W.Rows}×{solution.W.Columns}) " +
                $"does not belong to a problem with n = {X.Rows}, p = {X.Columns}, N = {Classes}.", nameof(solution));
    }

    /// <summary>The one-hot targets Y, shape (n, N).</summary>
    public Matrix OneHot()
    {
        var y = new Matrix(Labels.Length, Classes);
        for (int i = 0; i < Labels.Length; i++) y[i, Labels[i]] = 1;
        return y;
    }
}
