using Disentangle.Solvers;
using Disentangle.Tensors;

namespace Disentangle.Training;

/// <summary>The inner problems of one batch: their solutions, the λ used for each, and the outputs as autodiff nodes.</summary>
/// <param name="Predictions">Outer predictions <c>X_out,t Ŵ_t</c> stacked over tasks, shape (T·n_out, k).</param>
/// <param name="Coefficients">Ŵ_t stacked, shape (T, m, k); differentiable too (the outer-L1 penalty uses it).</param>
/// <param name="Solutions">Per-task solutions (support, epochs, gap, convergence).</param>
/// <param name="Lambdas">Per-task λ = c·scale(X_in,t, Y_in,t).</param>
public sealed record HeadOutput(Tensor Predictions, Tensor Coefficients, InnerSolution[] Solutions, double[] Lambdas);

/// <summary>Per-task linear predictors fitted on the features by an inner solver, differentiated by implicit
/// differentiation: the only place where solvers touch the autodiff tape (method.md §3, Eq. 4).</summary>
/// <remarks>Forward: for each task, X_in and X_out are rows of the float32 features (converted to float64),
/// λ = c·scale(X_in, Y_in) with the gradient stopped through the scale (the reference's choice), Ŵ = argmin inner.
/// Backward of the predictions: <c>∂L/∂X_out += G Ŵᵀ</c> and, with <c>∂L/∂Ŵ = X_outᵀ G</c>, the solver's VJP adds
/// <c>∂L/∂X_in</c>; backward of the coefficients is that VJP alone. Tasks run in parallel, deterministically.</remarks>
public sealed class SparseHead
{
    private readonly IInnerSolver _solver;
    private readonly double _ratio;
    private readonly bool _differentiateScale;

    /// <summary>Creates a head with the given solver and λ ratio c (λ/λ_max for the Lasso, λ/(‖X‖²_F/n) for Ridge).</summary>
    /// <param name="solver">The inner solver.</param>
    /// <param name="ratio">c in λ = c·scale(X_in, Y_in).</param>
    /// <param name="differentiateScale">Also differentiate through scale(X_in, Y_in); the reference stops that gradient (false).</param>
    /// <exception cref="ArgumentOutOfRangeException">The ratio is negative or not finite.</exception>
    public SparseHead(IInnerSolver solver, double ratio, bool differentiateScale = false)
    {
        ArgumentNullException.ThrowIfNull(solver);
        if (!(ratio >= 0) || !double.IsFinite(ratio))
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "The λ ratio c must be finite and ≥ 0 (0: least squares).");
        _solver = solver;
        _ratio = ratio;
        _differentiateScale = differentiateScale;
    }

    /// <summary>The inner solver.</summary>
    public IInnerSolver Solver => _solver;

    /// <summary>Fits every task's predictor on <paramref name="features"/> and returns differentiable outputs.</summary>
    /// <param name="features">Features of the whole batch, shape (layout.Rows, m).</param>
    /// <param name="targets">Per task, the targets of its rows (layout.SamplesPerTask, k).</param>
    /// <param name="layout">Which rows belong to which task and split.</param>
    /// <exception cref="ArgumentException">Shapes disagree with the layout.</exception>
    /// <exception cref="NonFiniteException">The features hold NaN or ±∞.</exception>
    public HeadOutput Forward(Tensor features, IReadOnlyList<Matrix> targets, TaskLayout layout)
    {
        layout.Validate();
        if (features.Rank != 2 || features.Shape[0] != layout.Rows)
            throw new ArgumentException($"Features have shape [{string.Join(", ", features.Shape)}]; the layout needs ({layout.Rows}, m).", nameof(features));
        if (targets.Count != layout.Tasks)
            throw new ArgumentException($"{targets.Count} target matrices for {layout.Tasks} tasks.", nameof(targets));
        int k = targets[0].Columns, tasks = layout.Tasks;
        for (int t = 0; t < tasks; t++)
            if (targets[t].Rows != layout.SamplesPerTask || targets[t].Columns != k)
                throw new ArgumentException($"Targets of task {t} are {targets[t].Rows}×{targets[t].Columns}; expected {layout.SamplesPerTask}×{k}.", nameof(targets));
        TaskSolutions.EnsureFinite(features, nameof(features));

        var innerRows = new TaskRows(layout.InnerStart(0), layout.SamplesPerTask, layout.InnerSamples);
        var outerRows = new TaskRows(layout.OuterStart(0), layout.SamplesPerTask, layout.OuterSamples);
        var problems = new InnerProblem[tasks];
        var lambdas = new double[tasks];
        for (int t = 0; t < tasks; t++)
        {
            var xIn = TaskSolutions.Rows(features, innerRows, t);
            var yIn = layout.SameSamples ? targets[t] : TargetRows(targets[t], 0, layout.InnerSamples);
            lambdas[t] = _solver.LambdaFromRatio(xIn, yIn, _ratio);
            problems[t] = new InnerProblem(xIn, yIn, lambdas[t]);
        }
        var solutions = _solver.SolveMany(problems);
        var solved = new TaskSolutions<InnerProblem, InnerSolution, InnerGradient>(_solver, features, innerRows, problems, solutions,
            _differentiateScale ? (t, gradient) => _solver.ThroughLambdaScale(problems[t], _ratio, gradient).DX : null);
        var predictions = solved.Predictions(features, outerRows, layout.SameSamples ? [.. problems.Select(p => p.X)] : null);
        return new HeadOutput(predictions, solved.Coefficients(), solutions, lambdas);
    }

    private static Matrix TargetRows(Matrix y, int first, int rows)
    {
        var part = new Matrix(rows, y.Columns);
        y.Data.AsSpan(first * y.Columns, rows * y.Columns).CopyTo(part.Data);
        return part;
    }
}
