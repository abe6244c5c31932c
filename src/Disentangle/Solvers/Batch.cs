using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>Batched solves and VJPs over independent tasks with <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/>,
/// written once for every <see cref="IBatchedSolver{TProblem, TSolution, TGradient}"/>. Each task is solved sequentially by one
/// thread, so results do not depend on the thread count.</summary>
internal static class Batch
{
    /// <summary>Below this total size (Σ n·m·k) a batch of inner problems costs less than waking the thread pool: it runs on
    /// the caller's thread.</summary>
    private const long SequentialWork = 50_000;

    /// <summary>The threads worth using for <paramref name="problems"/>: 1 for a small batch, else <paramref name="threads"/>.</summary>
    public static int ThreadsFor(IReadOnlyList<InnerProblem>? problems, int threads) =>
        problems is not null && problems.Sum(p => p is null ? 0L : (long)p.X.Rows * p.X.Columns * p.Y.Columns) < SequentialWork ? 1 : threads;

    /// <summary>Solves every problem with <paramref name="solve"/> (problem, warm start or null).</summary>
    /// <exception cref="ArgumentException">The counts differ, or a problem is malformed (the first one's error is rethrown).</exception>
    public static TSolution[] SolveMany<TProblem, TSolution>(Func<TProblem, Matrix?, TSolution> solve, int threads,
        IReadOnlyList<TProblem> problems, IReadOnlyList<Matrix?>? warmStarts)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (warmStarts is not null && warmStarts.Count != problems.Count)
            throw new ArgumentException($"{warmStarts.Count} warm starts for {problems.Count} problems.", nameof(warmStarts));
        return Map(problems.Count, threads, t => solve(problems[t], warmStarts?[t]));
    }

    /// <summary>The VJP of every solve.</summary>
    /// <exception cref="ArgumentException">The counts differ.</exception>
    public static TGradient[] VjpMany<TProblem, TSolution, TGradient>(IDifferentiableSolver<TProblem, TSolution, TGradient> solver, int threads,
        IReadOnlyList<TProblem> problems, IReadOnlyList<TSolution> solutions, IReadOnlyList<Matrix> cotangents)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(solutions);
        ArgumentNullException.ThrowIfNull(cotangents);
        if (solutions.Count != problems.Count || cotangents.Count != problems.Count)
            throw new ArgumentException($"{problems.Count} problems, {solutions.Count} solutions and {cotangents.Count} cotangents; the counts must match.", nameof(cotangents));
        return Map(problems.Count, threads, t => solver.Vjp(problems[t], solutions[t], cotangents[t]));
    }

    /// <summary><c>body(0), …, body(count − 1)</c> on up to <paramref name="threads"/> threads (−1: the runtime's choice);
    /// the first task's exception is rethrown itself (not wrapped), so bad input reads the same as in a single solve.</summary>
    public static T[] Map<T>(int count, int threads, Func<int, T> body)
    {
        threads = Parallelism.Resolve(threads);
        var results = new T[count];
        if (threads == 1)
        {
            for (int t = 0; t < count; t++) results[t] = body(t);
            return results;
        }
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, t => results[t] = body(t));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return results;
    }
}
