using Disentangle.Tensors;

namespace Disentangle.Solvers.GroupSparseSvm;

/// <summary>The group-sparse Crammer–Singer SVM head solved in the dual by block coordinate descent on the simplex, and
/// differentiated implicitly at its fixed point (method.md §6, Equation 8).</summary>
/// <remarks>Dual: <c>min_β (1/(2λ₂))‖BST_rows(Xᵀ(Y − β), λ₁)‖²_F − ⟨β, 1 − Y⟩</c> over β with rows in the probability
/// simplex; primal–dual link <c>W(β) = BST_rows(Xᵀ(Y − β), λ₁)/λ₂</c>; stops when the duality gap
/// <c>P(W(β)) − D(β)</c> (see <see cref="GroupSparseSvmObjective"/>) is below <c>Tolerance·n</c>. λ₁ = 0 is MetaOptNet's
/// SVM head (Lee et al. 2019). Batched solves run the tasks of a meta-batch in parallel; each task is solved by one thread,
/// so results do not depend on the thread count.</remarks>
public sealed class GroupSparseSvmDual : IGroupSparseSvmSolver
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
    public int MaxDegreeOfParallelism => Options.MaxDegreeOfParallelism;

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
        if (warmStart is not null) problem.CheckDualPoint(warmStart, nameof(warmStart));
        return new GroupSparseSvmCoordinateDescent(problem, Options, warmStart).Run();
    }

    /// <inheritdoc/>
    /// <remarks>See <see cref="GroupSparseSvmImplicitDifferentiation"/>: <c>∂L/∂X = (Y − β)(r + s)ᵀ + uWᵀ</c> with
    /// <c>r = J_BST(g)/λ₂</c>, u the adjoint on the face of β*, and <c>s = J_BST(Xᵀu)/λ₂</c>. λ₁ and λ₂ are held fixed.</remarks>
    /// <exception cref="ArgumentException">The cotangent is not (p, N) or not finite, or the solution does not fit the problem.</exception>
    public GroupSparseSvmGradient Vjp(GroupSparseSvmProblem problem, GroupSparseSvmSolution solution, Matrix cotangent)
    {
        ArgumentNullException.ThrowIfNull(problem);
        InputChecks.CheckCotangent(cotangent, problem.X.Columns, problem.Classes, nameof(cotangent));
        problem.CheckSolution(solution);
        return GroupSparseSvmImplicitDifferentiation.Vjp(problem, solution, cotangent);
    }

    /// <inheritdoc/>
    public GroupSparseSvmSolution[] SolveMany(IReadOnlyList<GroupSparseSvmProblem> problems, IReadOnlyList<Matrix?>? warmStarts = null)
        => Batch.SolveMany<GroupSparseSvmProblem, GroupSparseSvmSolution>(Solve, Options.MaxDegreeOfParallelism, problems, warmStarts);

    /// <inheritdoc/>
    public GroupSparseSvmGradient[] VjpMany(IReadOnlyList<GroupSparseSvmProblem> problems, IReadOnlyList<GroupSparseSvmSolution> solutions, IReadOnlyList<Matrix> cotangents)
        => Batch.VjpMany(this, Options.MaxDegreeOfParallelism, problems, solutions, cotangents);

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

    /// <inheritdoc/>
    GroupSparseSvmLambdaMax IGroupSparseSvmSolver.LambdaMax(Matrix x, int[] labels, int classes, double lambda2) => LambdaMax(x, labels, classes);
}
