using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>Batched solves and VJPs over independent tasks with <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/>.
/// Each task is solved sequentially by one thread, so results do not depend on the thread count.</summary>
internal static class Batch
{
    /// <summary>Below this total size (Σ n·m·k) a batch costs less than waking the thread pool: it runs on the caller's thread.</summary>
    private const long SequentialWork = 50_000;

    public static InnerSolution[] SolveMany(IInnerSolver solver, int threads, IReadOnlyList<InnerProblem> problems, IReadOnlyList<Matrix?>? warmStarts)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (warmStarts is not null && warmStarts.Count != problems.Count)
            throw new ArgumentException($"{warmStarts.Count} warm starts for {problems.Count} problems.", nameof(warmStarts));
        var results = new InnerSolution[problems.Count];
        long work = problems.Sum(p => p is null ? 0L : (long)p.X.Rows * p.X.Columns * p.Y.Columns);
        Run(problems.Count, work < SequentialWork ? 1 : threads, t => results[t] = solver.Solve(problems[t], warmStarts?[t]));
        return results;
    }

    public static InnerGradient[] VjpMany(IInnerSolver solver, int threads, IReadOnlyList<InnerProblem> problems,
        IReadOnlyList<InnerSolution> solutions, IReadOnlyList<Matrix> cotangents)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(solutions);
        ArgumentNullException.ThrowIfNull(cotangents);
        if (solutions.Count != problems.Count || cotangents.Count != problems.Count)
            throw new ArgumentException($"{problems.Count} problems, {solutions.Count} solutions and {cotangents.Count} cotangents; the counts must match.", nameof(cotangents));
        var results = new InnerGradient[problems.Count];
        Run(problems.Count, threads, t => results[t] = solver.Vjp(problems[t], solutions[t], cotangents[t]));
        return results;
    }

    /// <summary>Parallel.For that rethrows the first task's exception itself (not wrapped), so bad input reads the same as
    /// in a single solve.</summary>
    private static void Run(int count, int threads, Action<int> body)
    {
        threads = Parallelism.Resolve(threads);
        if (threads == 1)
        {
            for (int t = 0; t < count; t++) body(t);
            return;
        }
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }
}
