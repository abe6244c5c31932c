using System.Numerics.Tensors;
using Disentangle.Tensors;

namespace Disentangle.Solvers.GroupSparseSvm;

/// <summary>The released code's few-shot head (<c>SparseMetaOptNetHead_SVM_dual</c>): the group-sparse SVM dual with a
/// strongly convex term, run for a fixed number of projected-gradient steps and differentiated implicitly at the point
/// reached, with a few conjugate-gradient iterations on the normal equations.</summary>
/// <remarks>
/// With ρ = <see cref="ProjectedGradientSvmOptions.DualRegularisation"/>, the dual minimised over β with rows in the
/// probability simplex is <c>(1/(2λ₂))‖BST_rows(Xᵀ(Y − β), λ₁)‖²_F + (ρ/(2λ₂))‖β − Y‖²_F + ⟨β, Y⟩</c> (our exact dual,
/// <see cref="GroupSparseSvmDual"/>, is ρ = 0, up to a constant on the simplex). Its gradient is
/// <c>G(β) = −X W(β) + ρ(β − Y)/λ₂ + Y</c> with <c>W(β) = BST_rows(Xᵀ(Y − β), λ₁)/λ₂</c>, and each step is
/// <c>β ← T(β) = Proj_Δ(β − ηG(β))</c>, <c>η = λ₂/(λmax(XXᵀ) + ρ)</c>, from <c>β = 1/N</c>.
/// The VJP treats the returned β as the root of <c>F(β, X) = β − T(β, X)</c> (η held fixed): for a cotangent C of W,
/// <c>r = J_BST(C)/λ₂</c>, the direct term <c>(Y − β) rᵀ</c>, the cotangent <c>v = −X r</c> of β, u from
/// <c>(∂_βF)ᵀ u = v</c> by <see cref="ProjectedGradientSvmOptions.ConjugateGradientSteps"/> iterations of conjugate gradient on
/// <c>(∂_βF (∂_βF)ᵀ + ridge·I) u = ∂_βF v</c> from u = 0 (as torchopt's <c>solve_normal_cg</c>), and
/// <c>∂L/∂X += (∂_X T)ᵀ u = η q Wᵀ − (η/λ₂)(β − Y) J_BST(Xᵀq)ᵀ</c> with <c>q = J_Proj(u)</c>.
/// The released code takes the ridge from the largest step of the meta-batch; <see cref="VjpMany"/> does the same, a single
/// <see cref="Vjp(GroupSparseSvmProblem, GroupSparseSvmSolution, Matrix)"/> uses its own task's step.
/// </remarks>
public sealed class ProjectedGradientSvmDual : IGroupSparseSvmSolver
{
    /// <summary>Creates the solver.</summary>
    /// <param name="options">Options (the released code's when null).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public ProjectedGradientSvmDual(ProjectedGradientSvmOptions? options = null)
    {
        Options = options ?? new ProjectedGradientSvmOptions();
        Options.Validate();
    }

    /// <summary>The options.</summary>
    public ProjectedGradientSvmOptions Options { get; }

    /// <inheritdoc/>
    public int MaxDegreeOfParallelism => Options.MaxDegreeOfParallelism;

    /// <inheritdoc/>
    public GroupSparseSvmSolution Solve(GroupSparseSvmProblem problem) => Solve(problem, null);

    /// <summary>Runs the projected-gradient steps from <paramref name="start"/> (projected onto the simplices), or from the
    /// uniform point β = 1/N when null.</summary>
    /// <remarks>The report's objective and gap are those of the exact problem (<see cref="GroupSparseSvmObjective"/>), so they
    /// say how far this head is from the exact SVM; a fixed number of steps has no tolerance (it is +∞ and the report says
    /// converged).</remarks>
    /// <exception cref="ArgumentException">A malformed problem, or a start of the wrong shape or with non-finite entries.</exception>
    public GroupSparseSvmSolution Solve(GroupSparseSvmProblem problem, Matrix? start)
    {
        ArgumentNullException.ThrowIfNull(problem);
        problem.Validate();
        int n = problem.X.Rows, classes = problem.Classes;
        var beta = new Matrix(n, classes);
        if (start is null) Array.Fill(beta.Data, 1.0 / classes);
        else
        {
            problem.CheckDualPoint(start, nameof(start));
            for (int i = 0; i < n; i++) SimplexProjection.Project(start.Row(i), beta.Row(i));
        }
        var y = problem.OneHot();
        double step = Step(problem);
        for (int s = 0; s < Options.Steps; s++) beta = FixedPointMap(problem, y, beta, step);
        var w = GroupSparseSvmObjective.Coefficients(problem, beta);
        var support = Enumerable.Range(0, w.Rows).Where(j => TensorPrimitives.Norm<double>(w.Row(j)) > 0).ToArray();
        double primal = GroupSparseSvmObjective.Primal(problem, w);
        var report = new ConvergenceReport(Options.Steps, primal, primal - GroupSparseSvmObjective.Dual(problem, beta), double.PositiveInfinity, Converged: true);
        return new GroupSparseSvmSolution(w, beta, support, report);
    }

    /// <summary>The gradient step <c>η = λ₂/(λmax(XXᵀ) + ρ)</c> (the released code's <c>1/max|eig(XXᵀ/λ₂) + ρ/λ₂|</c>).</summary>
    public double Step(GroupSparseSvmProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var gram = Matrix.Multiply(problem.X, problem.X, transposeB: true);
        double largest = LinearAlgebra.EigenSymmetric(gram).Values.Max();
        double curvature = (largest + Options.DualRegularisation) / problem.Lambda2;
        if (!(curvature > 0))
            throw new ArgumentException("The support features are all zero and the dual term is 0: the dual has no curvature to set a step.", nameof(problem));
        return 1 / curvature;
    }

    /// <summary>One step <c>T(β) = Proj_Δ(β − ηG(β))</c>, row by row.</summary>
    private Matrix FixedPointMap(GroupSparseSvmProblem problem, Matrix y, Matrix beta, double step)
    {
        var w = GroupSparseSvmObjective.Coefficients(problem, beta);
        var z = Matrix.Multiply(problem.X, w);                                             // XW
        double rho = Options.DualRegularisation / problem.Lambda2;
        for (int k = 0; k < z.Data.Length; k++)
        {
            double gradient = -z.Data[k] + rho * (beta.Data[k] - y.Data[k]) + y.Data[k];
            z.Data[k] = beta.Data[k] - step * gradient;
        }
        for (int i = 0; i < z.Rows; i++) SimplexProjection.Project(z.Row(i), z.Row(i));
        return z;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The cotangent is not (p, N) or not finite, or the solution does not fit the problem.</exception>
    public GroupSparseSvmGradient Vjp(GroupSparseSvmProblem problem, GroupSparseSvmSolution solution, Matrix cotangent)
    {
        ArgumentNullException.ThrowIfNull(problem);
        double step = Step(problem);
        return VjpWithRidge(problem, solution, cotangent, step, Options.RidgeFactor / step);
    }

    /// <summary>The VJP with the task's gradient step (<see cref="Step"/>, an eigendecomposition: computed once by the caller)
    /// and the normal equations' ridge.</summary>
    private GroupSparseSvmGradient VjpWithRidge(GroupSparseSvmProblem problem, GroupSparseSvmSolution solution, Matrix cotangent, double step, double ridge)
    {
        ArgumentNullException.ThrowIfNull(problem);
        InputChecks.CheckCotangent(cotangent, problem.X.Columns, problem.Classes, nameof(cotangent));
        problem.CheckSolution(solution);
        var x = problem.X;
        int n = x.Rows, p = x.Columns, classes = problem.Classes;
        double lambda2 = problem.Lambda2, rho = Options.DualRegularisation / lambda2;
        var y = problem.OneHot();
        var offset = solution.Beta.Clone();                                                 // D = β − Y
        TensorPrimitives.Subtract<double>(offset.Data, y.Data, offset.Data);
        var m = Matrix.Multiply(x, offset, transposeA: true);                               // Xᵀ(β − Y) = −M (J_BST is even)
        var bst = new BstJacobian(m, problem.Lambda1);

        var r = bst.Apply(cotangent, 1 / lambda2);                                         // r = J(C)/λ₂
        var dx = new Matrix(n, p);
        Gemm.Multiply(false, true, n, p, classes, -1.0, offset.Data, classes, r.Data, classes, 0.0, dx.Data, p);   // (Y − β) rᵀ
        var v = Matrix.Multiply(x, r);
        TensorPrimitives.Negate<double>(v.Data, v.Data);                                    // v = −X r

        var projected = FixedPointMap(problem, y, solution.Beta, step);                     // T(β): where the projection's Jacobian is taken
        Matrix Project(Matrix u)
        {
            var result = new Matrix(n, classes);
            for (int i = 0; i < n; i++) SimplexProjection.JacobianProduct(projected.Row(i), u.Row(i), result.Row(i));
            return result;
        }
        Matrix Curvature(Matrix d)                                                          // K d = X J(Xᵀd)/λ₂ + ρ d
        {
            var result = Matrix.Multiply(x, bst.Apply(Matrix.Multiply(x, d, transposeA: true), 1 / lambda2));
            TensorPrimitives.MultiplyAdd<double>(d.Data, rho, result.Data, result.Data);
            return result;
        }
        Matrix Forward(Matrix d)                                                            // ∂_βF d = d − J_P(d − ηK d)
        {
            var inner = Curvature(d);
            TensorPrimitives.MultiplyAdd<double>(inner.Data, -step, d.Data, inner.Data);
            var result = Project(inner);
            TensorPrimitives.Subtract<double>(d.Data, result.Data, result.Data);
            return result;
        }
        Matrix Transposed(Matrix u)                                                         // (∂_βF)ᵀ u = u − (q − ηK q), q = J_P u
        {
            var q = Project(u);
            var result = Curvature(q);
            TensorPrimitives.MultiplyAdd<double>(result.Data, -step, q.Data, result.Data);
            TensorPrimitives.Subtract<double>(u.Data, result.Data, result.Data);
            return result;
        }
        var adjoint = ConjugateGradient(d =>
        {
            var result = Forward(Transposed(d));
            TensorPrimitives.MultiplyAdd<double>(d.Data, ridge, result.Data, result.Data);
            return result;
        }, Forward(v), Options.ConjugateGradientSteps);

        var qAdjoint = Project(adjoint);
        Gemm.Multiply(false, true, n, p, classes, step, qAdjoint.Data, classes, solution.W.Data, classes, 1.0, dx.Data, p);   // + η q Wᵀ
        var curved = bst.Apply(Matrix.Multiply(x, qAdjoint, transposeA: true), 1.0);                                           // J(Xᵀq), (p, N)
        Gemm.Multiply(false, true, n, p, classes, -step / lambda2, offset.Data, classes, curved.Data, classes, 1.0, dx.Data, p); // − (η/λ₂) D J(Xᵀq)ᵀ
        return new GroupSparseSvmGradient(dx, n * classes, n * classes);
    }

    /// <summary>Conjugate gradient on a symmetric positive (semi-)definite operator, from 0, for a fixed number of iterations
    /// (fewer when the residual vanishes).</summary>
    internal static Matrix ConjugateGradient(Func<Matrix, Matrix> apply, Matrix rhs, int iterations)
    {
        var solution = new Matrix(rhs.Rows, rhs.Columns);
        var residual = rhs.Clone();
        var direction = rhs.Clone();
        double squared = TensorPrimitives.Dot<double>(residual.Data, residual.Data);
        for (int k = 0; k < iterations && squared > 0; k++)
        {
            var image = apply(direction);
            double curvature = TensorPrimitives.Dot<double>(direction.Data, image.Data);
            if (!(curvature > 0)) break;
            double alpha = squared / curvature;
            TensorPrimitives.MultiplyAdd<double>(direction.Data, alpha, solution.Data, solution.Data);
            TensorPrimitives.MultiplyAdd<double>(image.Data, -alpha, residual.Data, residual.Data);
            double next = TensorPrimitives.Dot<double>(residual.Data, residual.Data);
            TensorPrimitives.MultiplyAdd<double>(direction.Data, next / squared, residual.Data, direction.Data);
            squared = next;
        }
        return solution;
    }

    /// <inheritdoc/>
    public GroupSparseSvmSolution[] SolveMany(IReadOnlyList<GroupSparseSvmProblem> problems, IReadOnlyList<Matrix?>? warmStarts = null)
        => Batch.SolveMany<GroupSparseSvmProblem, GroupSparseSvmSolution>(Solve, Options.MaxDegreeOfParallelism, problems, warmStarts);

    /// <inheritdoc/>
    /// <remarks>One ridge for the meta-batch, from its largest step, as the released code.</remarks>
    public GroupSparseSvmGradient[] VjpMany(IReadOnlyList<GroupSparseSvmProblem> problems, IReadOnlyList<GroupSparseSvmSolution> solutions, IReadOnlyList<Matrix> cotangents)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(solutions);
        ArgumentNullException.ThrowIfNull(cotangents);
        if (solutions.Count != problems.Count || cotangents.Count != problems.Count)
            throw new ArgumentException($"{problems.Count} problems, {solutions.Count} solutions and {cotangents.Count} cotangents; the counts must match.", nameof(solutions));
        if (problems.Count == 0) return [];
        var steps = Batch.Map(problems.Count, Options.MaxDegreeOfParallelism, t => Step(problems[t]));
        double ridge = Options.RidgeFactor / steps.Max();
        return Batch.Map(problems.Count, Options.MaxDegreeOfParallelism, t => VjpWithRidge(problems[t], solutions[t], cotangents[t], steps[t], ridge));
    }

    /// <summary>λ₁max of the regularised dual, in closed form: at W = 0 the dual separates by rows, its solution is
    /// <c>β⁰_i = Proj_Δ(Y_i + (λ₂/ρ)(1 − Y_i))</c>, and W = 0 is optimal exactly when every <c>‖(Xᵀ(Y − β⁰))_j‖ ≤ λ₁</c>.
    /// With ρ = 0 it is the exact problem's (<see cref="GroupSparseSvmLambdaMaxSearch"/>).</summary>
    /// <exception cref="ArgumentException">Malformed inputs (as for a problem).</exception>
    public GroupSparseSvmLambdaMax LambdaMax(Matrix x, int[] labels, int classes, double lambda2)
    {
        var problem = new GroupSparseSvmProblem(x, labels, classes, 0, lambda2);
        problem.Validate();
        var exact = new GroupSparseSvmOptions();
        if (Options.DualRegularisation == 0)
            return GroupSparseSvmLambdaMaxSearch.Compute(x, labels, classes, exact.LambdaMaxTolerance, exact.LambdaMaxIterations);
        var residual = problem.OneHot();
        var row = new double[classes];
        for (int i = 0; i < x.Rows; i++)
        {
            for (int c = 0; c < classes; c++) row[c] = residual[i, c] + lambda2 / Options.DualRegularisation * (1 - residual[i, c]);
            SimplexProjection.Project(row, row);
            for (int c = 0; c < classes; c++) residual[i, c] -= row[c];                   // Y − β⁰
        }
        var m = Matrix.Multiply(x, residual, transposeA: true);
        double value = Enumerable.Range(0, m.Rows).Max(j => TensorPrimitives.Norm<double>(m.Row(j)));
        return new GroupSparseSvmLambdaMax(value, value, 0, Converged: true);
    }
}
