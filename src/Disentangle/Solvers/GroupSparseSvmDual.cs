using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>The group-sparse Crammer–Singer SVM head solved in the dual by block coordinate descent on the simplex, and
/// differentiated implicitly at its fixed point (method.md §6, Equation 8).</summary>
/// <remarks>Dual: <c>min_β (1/(2λ₂))‖BST_rows(Xᵀ(Y − β), λ₁)‖²_F − ⟨β, 1 − Y⟩</c> over β with rows in the probability
/// simplex; primal–dual link <c>W(β) = BST_rows(Xᵀ(Y − β), λ₁)/λ₂</c>; stops when the duality gap
/// <c>P(W(β)) − D(β)</c> (see <see cref="GroupSparseSvmObjective"/>) is below <c>Tolerance·n</c>. λ₁ = 0 is MetaOptNet's
/// SVM head (Lee et al. 2019). Batched solves run the tasks of a meta-batch in parallel; each task is solved by one thread,
/// so results do not depend on the thread count.</remarks>
public sealed class GroupSparseSvmDual : IDifferentiableSolver<GroupSparseSvmProblem, GroupSparseSvmSolution, GroupSparseSvmGradient>
{
    /// <summary>Creates the solver.</summary>
    /// <param name="options">Options (defaults when null).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public GroupSparseSvmDual(GroupSparseSvmOptions? options = null)
    {
        Options = options ?? new GroupSparseSvmOptions();
        Options.Validate();
    }

    /// <summary>The options.</summary>
    public GroupSparseSvmOptions Options { get; }

    /// <inheritdoc/>
    public GroupSparseSvmSolution Solve(GroupSparseSvmProblem problem) => Solve(problem, null);

    /// <summary>Solves from the dual starting point <paramref name="warmStart"/> (n, N; projected onto the simplices), or
    /// from β = Y (W = 0) when null.</summary>
    /// <exception cref="ArgumentException">A malformed problem (see <see cref="GroupSparseSvmProblem.Validate"/>), or a warm
    /// start of the wrong shape or with non-finite entries.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than two classes or a λ out of range.</exception>
    public GroupSparseSvmSolution Solve(GroupSparseSvmProblem problem, Matrix? warmStart)
    {
        ArgumentNullException.ThrowIfNull(problem);
        problem.Validate();
        if (warmStart is not null)
        {
            if (warmStart.Rows != problem.X.Rows || warmStart.Columns != problem.Classes)
                throw new ArgumentException($"warmStart is {warmStart.Rows}×{warmStart.Columns} but β is {problem.X.Rows}×{problem.Classes}.", nameof(warmStart));
            InputChecks.CheckFinite(warmStart, nameof(warmStart));
        }
        return new GroupSparseSvmCoordinateDescent(problem, Options, warmStart).Run();
    }

    /// <inheritdoc/>
    /// <remarks>See <see cref="GroupSparseSvmImplicitDifferentiation"/>: <c>∂L/∂X = (Y − β)(r + s)ᵀ + uWᵀ</c> with
    /// <c>r = J_BST(g)/λ₂</c>, u the adjoint on the face of β*, and <c>s = J_BST(Xᵀu)/λ₂</c>. λ₁ and λ₂ are held fixed.</remarks>
    /// <exception cref="ArgumentException">The cotangent is not (p, N) or not finite, or the solution does not fit the problem.</exception>
    public GroupSparseSvmGradient Vjp(GroupSparseSvmProblem problem, GroupSparseSvmSolution solution, Matrix cotangent)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(solution);
        InputChecks.CheckCotangent(cotangent, problem.X.Columns, problem.Classes, nameof(cotangent));
        if (solution.Beta.Rows != problem.X.Rows || solution.Beta.Columns != problem.Classes
            || solution.W.Rows != problem.X.Columns || solution.W.Columns != problem.Classes)
            throw new ArgumentException($"The solution (β {solution.Beta.Rows}×{solution.Beta.Columns}, W {solution.W.Rows}×{solution.W.Columns}) " +
                $"does not belong to a problem with n = {problem.X.Rows}, p = {problem.X.Columns}, N = {problem.Classes}.", nameof(solution));
        return GroupSparseSvmImplicitDifferentiation.Vjp(problem, solution, cotangent);
    }

    /// <summary>Solves independent problems (the tasks of a meta-batch) in parallel.</summary>
    /// <param name="problems">T problems.</param>
    /// <param name="warmStarts">Null, or T dual starting points (each may be null).</param>
    /// <exception cref="ArgumentException">The counts differ, or a problem is malformed (the first one's error is rethrown).</exception>
    public GroupSparseSvmSolution[] SolveMany(IReadOnlyList<GroupSparseSvmProblem> problems, IReadOnlyList<Matrix?>? warmStarts = null)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (warmStarts is not null && warmStarts.Count != problems.Count)
            throw new ArgumentException($"{warmStarts.Count} warm starts for {problems.Count} problems.", nameof(warmStarts));
        var results = new GroupSparseSvmSolution[problems.Count];
        Run(problems.Count, t => results[t] = Solve(problems[t], warmStarts?[t]));
        return results;
    }

    /// <summary>The VJPs of T solves, in parallel.</summary>
    /// <exception cref="ArgumentException">The counts differ.</exception>
    public GroupSparseSvmGradient[] VjpMany(IReadOnlyList<GroupSparseSvmProblem> problems, IReadOnlyList<GroupSparseSvmSolution> solutions, IReadOnlyList<Matrix> cotangents)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(solutions);
        ArgumentNullException.ThrowIfNull(cotangents);
        if (solutions.Count != problems.Count || cotangents.Count != problems.Count)
            throw new ArgumentException($"{problems.Count} problems, {solutions.Count} solutions and {cotangents.Count} cotangents; the counts must match.", nameof(cotangents));
        var results = new GroupSparseSvmGradient[problems.Count];
        Run(problems.Count, t => results[t] = Vjp(problems[t], solutions[t], cotangents[t]));
        return results;
    }

    /// <summary>λ₁max, the smallest λ₁ with W* = 0, bracketed to <see cref="GroupSparseSvmOptions.LambdaMaxTolerance"/>.</summary>
    /// <param name="x">Support features, shape (n, p).</param>
    /// <param name="labels">Classes, length n, in [0, classes).</param>
    /// <param name="classes">N ≥ 2.</param>
    /// <exception cref="ArgumentException">Malformed inputs (as for a problem).</exception>
    public GroupSparseSvmLambdaMax LambdaMax(Matrix x, int[] labels, int classes)
    {
        new GroupSparseSvmProblem(x, labels, classes, 0, 1).Validate();
        return GroupSparseSvmLambdaMaxSearch.Compute(x, labels, classes, Options.LambdaMaxTolerance, Options.LambdaMaxIterations);
    }

    private void Run(int count, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, Parallelism.OptionsFor(Options.MaxDegreeOfParallelism), body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }
}
