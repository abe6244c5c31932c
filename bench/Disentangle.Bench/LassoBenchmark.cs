using System.Diagnostics;
using Disentangle.Solvers;
using Disentangle.Tensors;

namespace Disentangle.Bench;

/// <summary>Our side of <c>bench/run lasso</c>: batched task-sized (group) Lasso solves and VJPs, and one large Lasso, on the
/// problems written by <c>bench/lasso/peer.py generate</c>; prints <c>key=value</c> lines merged by <c>bench/lasso/summarize.py</c>.</summary>
public sealed class LassoBenchmark : IBenchmark
{
    private const double RatioSmall = 0.3, RatioLarge = 0.1, RelativeGap = 1e-8;

    /// <inheritdoc/>
    public string Name => "lasso";

    /// <inheritdoc/>
    public int Run(string[] args)
    {
        if (args.Length != 1 || !Directory.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: Disentangle.Bench lasso DATA_DIR (written by bench/lasso/peer.py generate)");
            return 2;
        }
        var solver = new LassoSolver(new GroupL2(), new CdOptions(Tolerance: RelativeGap, MaxEpochs: 100_000));
        foreach (int m in new[] { 6, 32, 256 })
            foreach (int k in new[] { 1, 5 })
                Small(solver, Read(Path.Combine(args[0], $"small_m{m}_k{k}.bin")), m, k);
        Large(solver, Read(Path.Combine(args[0], "large.bin"))[0]);
        return 0;
    }

    private static void Small(LassoSolver solver, (Matrix X, Matrix Y)[] tasks, int m, int k)
    {
        InnerProblem[] Problems() => tasks.Select(t => new InnerProblem(t.X, t.Y, solver.LambdaFromRatio(t.X, t.Y, RatioSmall))).ToArray();
        var problems = Problems();
        var solutions = solver.SolveMany(problems);
        var random = new Random(7);
        var cotangents = tasks.Select(_ => Matrix.RandomNormal(m, k, random)).ToArray();
        double solve = Median(() => solver.SolveMany(Problems()), 0.4);                  // λ_max and validation included
        double vjp = Median(() => solver.VjpMany(problems, solutions, cotangents), 0.2);
        double worst = solutions.Max(s => s.Report.DualityGap / (s.Report.GapTolerance / RelativeGap));
        Console.WriteLine($"small m={m} k={k} ours_batch_us={solve * 1e6:F1} ours_vjp_us={vjp * 1e6:F1} " +
            $"ours_worst_rel_gap={worst:e2} ours_converged={solutions.All(s => s.Report.Converged)} " +
            $"ours_mean_epochs={solutions.Average(s => s.Report.Epochs):F0}");
    }

    private static void Large(LassoSolver solver, (Matrix X, Matrix Y) data)
    {
        var problem = new InnerProblem(data.X, data.Y, solver.LambdaFromRatio(data.X, data.Y, RatioLarge));
        InnerSolution? solution = null;
        solver.Solve(problem);                                                       // JIT
        var times = new List<double>();
        for (int r = 0; r < 3; r++)
        {
            var clock = Stopwatch.StartNew();
            solution = solver.Solve(problem);
            times.Add(clock.Elapsed.TotalSeconds);
        }
        var g = Matrix.RandomNormal(data.X.Columns, 1, new Random(8));
        solver.Vjp(problem, solution!, g);                                           // JIT
        double vjp = double.PositiveInfinity;
        for (int r = 0; r < 3; r++)
        {
            var clock = Stopwatch.StartNew();
            solver.Vjp(problem, solution!, g);
            vjp = Math.Min(vjp, clock.Elapsed.TotalSeconds);
        }
        Console.WriteLine($"large ours_solve_ms={times.Min() * 1e3:F1} ours_vjp_ms={vjp * 1e3:F1} " +
            $"ours_rel_gap={solution!.Report.DualityGap / (solution.Report.GapTolerance / RelativeGap):e2} " +
            $"ours_support={solution.Support.Length} ours_epochs={solution.Report.Epochs} ours_converged={solution.Report.Converged}");
    }

    private static double Median(Action action, double minSeconds)
    {
        var warm = Stopwatch.StartNew();                                              // tiered JIT: reach optimised code first
        while (warm.Elapsed.TotalSeconds < 0.5) action();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < minSeconds || times.Count < 5)
        {
            var clock = Stopwatch.StartNew();
            action();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    private static (Matrix X, Matrix Y)[] Read(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        int t = reader.ReadInt32(), n = reader.ReadInt32(), m = reader.ReadInt32(), k = reader.ReadInt32();
        var tasks = new (Matrix, Matrix)[t];
        for (int i = 0; i < t; i++) tasks[i] = (ReadMatrix(reader, n, m), ReadMatrix(reader, n, k));
        return tasks;
    }

    private static Matrix ReadMatrix(BinaryReader reader, int rows, int columns)
    {
        var bytes = reader.ReadBytes(rows * columns * sizeof(double));
        var data = new double[rows * columns];
        Buffer.BlockCopy(bytes, 0, data, 0, bytes.Length);
        return new Matrix(rows, columns, data);
    }
}
