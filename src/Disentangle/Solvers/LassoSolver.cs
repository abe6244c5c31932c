using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>The inner (group) Lasso: <c>min_W ‖XW − Y‖²_F/(2n) + λ Σ_j ψ(W_j)</c> by proximal block coordinate descent,
/// differentiated implicitly on its support (method.md §3).</summary>
/// <remarks>With <see cref="GroupL2"/> (the default) the penalty is <c>λ‖W‖_{2,1}</c>, the plain Lasso when k = 1; with
/// <see cref="L1"/> each output is an independent Lasso. λ is held fixed in <see cref="Vjp"/>; for λ = c·λ_max(X, Y) the
/// reference stops the gradient through λ_max, which is what ignoring <see cref="InnerGradient.DLambda"/> does
/// (<see cref="ThroughLambdaScale"/> adds that path instead).</remarks>
public sealed class LassoSolver : IInnerSolver
{
    /// <summary>Creates a solver for a norm penalty.</summary>
    /// <param name="penalty"><see cref="GroupL2"/> or <see cref="L1"/>.</param>
    /// <param name="options">Coordinate-descent options (defaults when null).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public LassoSolver(INormPenalty penalty, CdOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(penalty);
        Options = options ?? new CdOptions();
        Options.Validate();
        Penalty = penalty;
    }

    /// <summary>Creates a group-Lasso solver (<c>‖W‖_{2,1}</c>; the Lasso for k = 1).</summary>
    public LassoSolver(CdOptions? options = null) : this(new GroupL2(), options) { }

    /// <summary>The penalty ψ.</summary>
    public INormPenalty Penalty { get; }

    /// <summary>The coordinate-descent options.</summary>
    public CdOptions Options { get; }

    /// <inheritdoc/>
    public InnerSolution Solve(InnerProblem problem) => Solve(problem, null);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Empty, mismatched or non-finite X, Y or warm start.</exception>
    /// <exception cref="ArgumentOutOfRangeException">λ is negative or non-finite, or λ = 0 while <c>XᵀY ≠ 0</c> (least
    /// squares has no finite duality gap here: use <see cref="RidgeSolver"/>).</exception>
    public InnerSolution Solve(InnerProblem problem, Matrix? warmStart)
    {
        ArgumentNullException.ThrowIfNull(problem);
        InputChecks.CheckDesign(problem.X, problem.Y, "problem.X", "problem.Y");
        Guard.NonNegative(problem.Lambda, "problem.Lambda");
        if (warmStart is not null)
        {
            InputChecks.CheckCotangent(warmStart, problem.X.Columns, problem.Y.Columns, nameof(warmStart));
        }
        if (problem.Lambda == 0 && Penalty.LambdaMax(problem.X, problem.Y) > 0)
            throw new ArgumentOutOfRangeException("problem.Lambda", 0.0,
                "λ = 0 makes the Lasso a least-squares problem without a finite duality gap; use λ > 0 or RidgeSolver with λ = 0.");
        var (w, residual, report) = new BlockCoordinateDescent(Penalty, Options, problem.X, problem.Y, problem.Lambda, warmStart).Run();
        return new InnerSolution(w, SupportOf(w), residual, report);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The cotangent's shape differs from the coefficients'.</exception>
    public InnerGradient Vjp(InnerProblem problem, InnerSolution solution, Matrix cotangent)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(solution);
        InputChecks.CheckCotangent(cotangent, solution.W.Rows, solution.W.Columns, nameof(cotangent));
        return ImplicitDifferentiation.Vjp(Penalty, problem.X, solution.W, solution.Residual, problem.Lambda, cotangent);
    }

    /// <inheritdoc/>
    public InnerSolution[] SolveMany(IReadOnlyList<InnerProblem> problems, IReadOnlyList<Matrix?>? warmStarts = null)
        => Batch.SolveMany<InnerProblem, InnerSolution>(Solve, Batch.ThreadsFor(problems, Options.MaxDegreeOfParallelism), problems, warmStarts);

    /// <inheritdoc/>
    public InnerGradient[] VjpMany(IReadOnlyList<InnerProblem> problems, IReadOnlyList<InnerSolution> solutions, IReadOnlyList<Matrix> cotangents)
        => Batch.VjpMany(this, Options.MaxDegreeOfParallelism, problems, solutions, cotangents);

    /// <inheritdoc/>
    /// <remarks>λ = c·λ_max(X, Y), <c>λ_max = max_j ψ*(X_jᵀY)/n</c>.</remarks>
    public double LambdaFromRatio(Matrix x, Matrix y, double ratio)
    {
        Lambda.CheckRatio(ratio);
        return ratio * Penalty.LambdaMax(x, y);
    }

    /// <inheritdoc/>
    public InnerGradient ThroughLambdaScale(InnerProblem problem, double ratio, InnerGradient gradient)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(gradient);
        Lambda.CheckRatio(ratio);
        var dx = gradient.DX.Clone();
        var dy = gradient.DY.Clone();
        NormPenalties.AddLambdaMaxVjp(Penalty, problem.X, problem.Y, ratio * gradient.DLambda, dx, dy);
        return gradient with { DX = dx, DY = dy };
    }

    /// <summary>Rows j with <c>W_j ≠ 0</c>, ascending.</summary>
    internal static int[] SupportOf(Matrix w)
    {
        var support = new List<int>();
        for (int j = 0; j < w.Rows; j++)
            if (w.Row(j).IndexOfAnyExcept(0.0) >= 0) support.Add(j);
        return support.ToArray();
    }
}
