using Disentangle.Solvers;
using Disentangle.Tensors;
using static Disentangle.Tests.Solvers.SolverTestData;

namespace Disentangle.Tests.Solvers;

public sealed class BatchTests
{
    private static InnerProblem[] Problems(IInnerSolver solver, int k) => Enumerable.Range(0, 12).Select(t =>
    {
        var (x, y) = Regression(50, 20 + 10 * (t % 3), k, seed: 200 + t);
        return new InnerProblem(x, y, solver.LambdaFromRatio(x, y, 0.3));
    }).ToArray();

    [Theory, InlineData(1), InlineData(4)]
    public void Batched_lasso_is_bitwise_identical_for_any_thread_count_and_equal_to_single_solves(int k)
    {
        var problems = Problems(new LassoSolver(), k);
        var one = new LassoSolver(new CdOptions(MaxDegreeOfParallelism: 1)).SolveMany(problems);
        var many = new LassoSolver(new CdOptions(MaxDegreeOfParallelism: 4)).SolveMany(problems);
        var auto = new LassoSolver().SolveMany(problems);
        for (int t = 0; t < problems.Length; t++)
        {
            var single = new LassoSolver().Solve(problems[t]);
            Assert.Equal(single.W.Data, one[t].W.Data);
            Assert.Equal(single.W.Data, many[t].W.Data);
            Assert.Equal(single.W.Data, auto[t].W.Data);
            Assert.Equal(single.Report, many[t].Report);
        }
    }

    [Fact]
    public void Batched_warm_starts_are_used_per_task()
    {
        var solver = new LassoSolver(Plain(0, 5));
        var problems = Problems(solver, 1);
        var first = solver.SolveMany(problems);
        var second = solver.SolveMany(problems, first.Select(s => (Matrix?)s.W).ToArray());
        var ten = new LassoSolver(Plain(0, 10)).SolveMany(problems);
        for (int t = 0; t < problems.Length; t++) Assert.True(MaxAbsDifference(second[t].W, ten[t].W) < 1e-13);
    }

    [Fact]
    public void Batched_ridge_equals_single_solves()
    {
        var solver = new RidgeSolver(maxDegreeOfParallelism: 3);
        var problems = Problems(solver, 2);
        var batch = solver.SolveMany(problems);
        for (int t = 0; t < problems.Length; t++) Assert.Equal(solver.Solve(problems[t]).W.Data, batch[t].W.Data);
    }

    [Fact]
    public void Mismatched_batch_lengths_are_rejected()
    {
        var solver = new LassoSolver();
        var problems = Problems(solver, 1);
        Assert.Throws<ArgumentException>(() => solver.SolveMany(problems, new Matrix?[3]));
        Assert.Throws<ArgumentException>(() => solver.VjpMany(problems, solver.SolveMany(problems), new Matrix[2]));
    }
}

public sealed class LazyColumnTests
{
    [Theory, InlineData(1), InlineData(3)]
    public void Lazy_columns_with_gemm_gaps_reach_the_eager_solution(int k)
    {
        var (x, y) = Regression(40, 300, k, seed: 301, active: 5);
        double lambda = 0.1 * new GroupL2().LambdaMax(x, y);
        var options = new CdOptions(Tolerance: 1e-12, InitialWorkingSet: 16);
        var eager = new BlockCoordinateDescent(new GroupL2(), options, x, y, lambda, null, lazyColumns: false).Run();
        var lazy = new BlockCoordinateDescent(new GroupL2(), options, x, y, lambda, null, lazyColumns: true).Run();
        Assert.True(lazy.Report.Converged);
        Assert.True(MaxAbsDifference(eager.W, lazy.W) < 1e-8);
        Assert.Equal(eager.Report.DualityGap, lazy.Report.DualityGap, 1e-12);
    }
}
