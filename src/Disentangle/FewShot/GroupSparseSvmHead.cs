using Disentangle.Solvers;
using Disentangle.Solvers.GroupSparseSvm;
using Disentangle.Tensors;

namespace Disentangle.FewShot;

/// <summary>The few-shot classification head of method.md §6: per task, the group-sparse Crammer–Singer SVM fitted on
/// the support features, applied to the query features, differentiated implicitly (MetaOptNet's SVM head when λ₁ = 0).</summary>
/// <remarks>Forward, per task t (in parallel): <c>λ₁ = ratio · λ₁max(X_s,t)</c> (<see cref="Relative"/>; no gradient
/// through λ₁max) or a fixed λ₁ (<see cref="Absolute"/>), <c>W_t = argmin P</c> by <see cref="GroupSparseSvmDual"/> (or the released code's <see cref="ProjectedGradientSvmDual"/>), scores <c>X_q,t W_t</c>.
/// Backward with <c>G = ∂L/∂scores</c>: <c>∂L/∂X_q,t += G Wᵀ</c>, and the dual VJP of the cotangent
/// <c>∂L/∂W_t = X_q,tᵀ G</c> gives <c>∂L/∂X_s,t</c>.</remarks>
public sealed class GroupSparseSvmHead
{
    private readonly bool _relative;

    private GroupSparseSvmHead(IGroupSparseSvmSolver solver, double lambda1, double lambda2, bool relative)
    {
        ArgumentNullException.ThrowIfNull(solver);
        if (relative && !(lambda1 >= 0 && lambda1 < 1))
            throw new ArgumentOutOfRangeException("lambdaRatio", lambda1, "λ₁/λ₁max must be in [0, 1) (at 1 every W is 0).");
        if (!relative && !(lambda1 >= 0 && double.IsFinite(lambda1)))
            throw new ArgumentOutOfRangeException(nameof(lambda1), lambda1, "λ₁ must be finite and ≥ 0.");
        if (!(lambda2 > 0) || !double.IsFinite(lambda2))
            throw new ArgumentOutOfRangeException(nameof(lambda2), lambda2, "λ₂ must be finite and > 0.");
        Solver = solver;
        Lambda1 = lambda1;
        Lambda2 = lambda2;
        _relative = relative;
    }

    /// <summary>A head with <c>λ₁ = lambdaRatio · λ₁max</c> per task (the paper's scale; no gradient through λ₁max).</summary>
    /// <param name="solver">The dual solver (its options set the tolerance or steps, and threads).</param>
    /// <param name="lambdaRatio">λ₁/λ₁max in [0, 1); 0 is the dense Crammer–Singer SVM.</param>
    /// <param name="lambda2">λ₂ &gt; 0 (MetaOptNet's C = 0.1 is λ₂ = 10).</param>
    /// <exception cref="ArgumentOutOfRangeException">The ratio is outside [0, 1) or λ₂ is not positive and finite.</exception>
    public static GroupSparseSvmHead Relative(IGroupSparseSvmSolver solver, double lambdaRatio, double lambda2) => new(solver, lambdaRatio, lambda2, true);

    /// <summary>A head with the same absolute λ₁ for every task (the reference implementation's choice).</summary>
    /// <exception cref="ArgumentOutOfRangeException">λ₁ is negative or λ₂ is not positive and finite.</exception>
    public static GroupSparseSvmHead Absolute(IGroupSparseSvmSolver solver, double lambda1, double lambda2) => new(solver, lambda1, lambda2, false);

    /// <summary>The dual solver: the exact one, or the released code's projected-gradient head.</summary>
    public IGroupSparseSvmSolver Solver { get; }

    /// <summary>λ₁/λ₁max for a relative head, λ₁ itself for an absolute one.</summary>
    public double Lambda1 { get; }

    /// <summary>Whether <see cref="Lambda1"/> is the ratio λ₁/λ₁max.</summary>
    public bool IsRelative => _relative;

    /// <summary>λ₂.</summary>
    public double Lambda2 { get; }

    /// <summary>Fits every task's SVM on its support features and scores its query features.</summary>
    /// <param name="support">Support features of all tasks, shape (T·n_s, p), task-major.</param>
    /// <param name="supportLabels">Per task, the n_s labels in [0, classes).</param>
    /// <param name="query">Query features of all tasks, shape (T·n_q, p), task-major.</param>
    /// <param name="classes">N.</param>
    /// <exception cref="ArgumentException">Shapes disagree.</exception>
    /// <exception cref="NonFiniteException">The features hold NaN or ±∞.</exception>
    public SvmHeadOutput Forward(Tensor support, IReadOnlyList<int[]> supportLabels, Tensor query, int classes)
    {
        ArgumentNullException.ThrowIfNull(support);
        ArgumentNullException.ThrowIfNull(supportLabels);
        ArgumentNullException.ThrowIfNull(query);
        int tasks = supportLabels.Count;
        if (tasks == 0) throw new ArgumentException("No task was given.", nameof(supportLabels));
        int ns = supportLabels[0].Length;
        if (support.Rank != 2 || query.Rank != 2 || support.Shape[0] != tasks * ns || query.Shape[0] % tasks != 0 || query.Shape[1] != support.Shape[1])
            throw new ArgumentException($"Support features {Tensor.Format(support.Shape)} and query features {Tensor.Format(query.Shape)} do not fit " +
                $"{tasks} tasks of {ns} support samples with the same feature width.", nameof(query));
        if (supportLabels.Any(l => l.Length != ns))
            throw new ArgumentException($"Every task needs {ns} support labels.", nameof(supportLabels));
        TaskSolutions.EnsureFinite(support, nameof(support));
        TaskSolutions.EnsureFinite(query, nameof(query));
        int nq = query.Shape[0] / tasks;

        var supportRows = TaskRows.Blocks(ns);
        var lambdaMax = new GroupSparseSvmLambdaMax?[tasks];
        var problems = Batch.Map(tasks, Solver.MaxDegreeOfParallelism, t =>
        {
            var x = TaskSolutions.Rows(support, supportRows, t);
            double lambda1 = _relative ? 0 : Lambda1;
            if (_relative && Lambda1 > 0)
            {
                lambdaMax[t] = Solver.LambdaMax(x, supportLabels[t], classes, Lambda2);
                lambda1 = Lambda1 * lambdaMax[t]!.Value;
            }
            return new GroupSparseSvmProblem(x, supportLabels[t], classes, lambda1, Lambda2);
        });
        var solutions = Solver.SolveMany(problems);
        var scores = new TaskSolutions<GroupSparseSvmProblem, GroupSparseSvmSolution, GroupSparseSvmGradient>(Solver, support, supportRows, problems, solutions)
            .Predictions(query, TaskRows.Blocks(nq));
        return new SvmHeadOutput(scores, solutions, [.. problems.Select(q => q.Lambda1)], lambdaMax);
    }
}
