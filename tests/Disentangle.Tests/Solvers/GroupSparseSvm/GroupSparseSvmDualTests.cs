using Disentangle.Solvers;
using Disentangle.Solvers.GroupSparseSvm;
using Disentangle.Tensors;
using static Disentangle.Tests.Solvers.GroupSparseSvm.GroupSparseSvmTestData;

namespace Disentangle.Tests.Solvers.GroupSparseSvm;

public sealed class GroupSparseSvmDualTests
{
    public static TheoryData<int, int, int, double> Cases() => new()
    {
        { 5, 5, 12, 0.0 }, { 5, 1, 30, 0.0 }, { 3, 4, 8, 0.1 }, { 5, 5, 12, 0.3 }, { 4, 3, 20, 0.6 }, { 2, 6, 7, 0.2 },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Gap_goes_to_zero_and_equals_primal_minus_dual_recomputed_by_hand(int classes, int shots, int p, double ratio)
    {
        var problem = WithRatio(Problem(classes, shots, p, 0, 1.0, seed: 10 * classes + shots), ratio);
        var solution = Tight.Solve(problem);
        Assert.True(solution.Report.Converged, $"gap {solution.Report.DualityGap:e2} after {solution.Report.Epochs} epochs");
        double primal = GroupSparseSvmObjective.Primal(problem, solution.W);
        double dual = GroupSparseSvmObjective.Dual(problem, solution.Beta);
        Assert.Equal(primal, solution.Report.Objective, 1e-9);
        Assert.Equal(primal - dual, solution.Report.DualityGap, 1e-9);
        Assert.True(primal - dual < 1e-10 * problem.X.Rows && primal - dual > -1e-9, $"gap {primal - dual:e2}");
        Assert.True(MaxAbsDifference(GroupSparseSvmObjective.Coefficients(problem, solution.Beta), solution.W) < 1e-12);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Dual_rows_lie_in_the_simplex(int classes, int shots, int p, double ratio)
    {
        var problem = WithRatio(Problem(classes, shots, p, 0, 1.0, seed: 3), ratio);
        var beta = new GroupSparseSvmDual().Solve(problem).Beta;
        for (int i = 0; i < beta.Rows; i++)
        {
            Assert.All(beta.Row(i).ToArray(), b => Assert.True(b >= 0));
            Assert.Equal(1.0, beta.Row(i).ToArray().Sum(), 1e-12);
        }
    }

    [Theory, InlineData(0.0, 1.0), InlineData(0.2, 1.0), InlineData(0.5, 0.5), InlineData(0.0, 10.0)]
    public void Coefficients_match_a_primal_subgradient_solve(double ratio, double lambda2)
    {
        var problem = WithRatio(Problem(3, 4, 6, 0, lambda2, seed: 21), ratio);
        var dual = Tight.Solve(problem);
        var primal = PrimalSubgradient(problem, 200_000);
        double pDual = GroupSparseSvmObjective.Primal(problem, dual.W), pSub = GroupSparseSvmObjective.Primal(problem, primal);
        double dValue = GroupSparseSvmObjective.Dual(problem, dual.Beta);
        Assert.True(pSub >= dValue - 1e-9, $"weak duality: P(W_sub) = {pSub} < D(β) = {dValue}");
        // λ₂-strong convexity: ‖W − W*‖² ≤ 2(P(W) − P*)/λ₂ ≤ 2(P(W) − D(β))/λ₂.
        double distance = Math.Sqrt(dual.W.Data.Zip(primal.Data, (a, b) => (a - b) * (a - b)).Sum());
        Assert.True(distance <= Math.Sqrt(2 * (pSub - dValue) / lambda2) + 1e-9, $"‖W_dual − W_sub‖ = {distance:e2}");
        Assert.True(pSub - pDual < 1e-3 * pDual, $"P(W_sub) = {pSub}, P(W_dual) = {pDual}");
        Assert.True(distance < 2e-2 * Math.Max(1, MaxAbs(dual.W)), $"‖W_dual − W_sub‖ = {distance:e2}");
    }

    [Theory, InlineData(5, 5, 12), InlineData(5, 1, 40), InlineData(3, 4, 8), InlineData(4, 2, 64)]
    public void Lambda_max_bracket_is_tight_and_certified(int classes, int shots, int p)
    {
        var problem = Problem(classes, shots, p, 0, 1.0, seed: 5 + p);
        var lambdaMax = Tight.LambdaMax(problem.X, problem.Labels, classes);
        Assert.True(lambdaMax.Converged, $"bracket [{lambdaMax.LowerBound}, {lambdaMax.Value}] after {lambdaMax.Iterations} iterations");
        Assert.True(lambdaMax.Value - lambdaMax.LowerBound <= 1e-6 * lambdaMax.Value);
        var above = Tight.Solve(problem with { Lambda1 = lambdaMax.Value * 1.01 });
        Assert.All(above.W.Data, v => Assert.Equal(0.0, v));
        Assert.Empty(above.Support);
        Assert.True(above.Report.Converged);
        var below = Tight.Solve(problem with { Lambda1 = lambdaMax.LowerBound * (1 - 1e-4) });
        Assert.NotEmpty(below.Support);
    }

    [Fact]
    public void Lambda_max_does_not_depend_on_lambda2_and_larger_lambda1_keeps_w_zero()
    {
        var problem = Problem(4, 3, 10, 0, 1.0, seed: 8);
        double lambdaMax = Tight.LambdaMax(problem.X, problem.Labels, 4).Value;
        foreach (double lambda2 in new[] { 0.1, 1.0, 30.0 })
            foreach (double factor in new[] { 1.01, 1.5, 10.0 })
                Assert.Empty(Tight.Solve(problem with { Lambda1 = factor * lambdaMax, Lambda2 = lambda2 }).Support);
    }

    [Fact]
    public void Lambda_max_of_two_classes_is_the_closed_form_largest_row_norm()
    {
        var problem = Problem(2, 5, 9, 0, 1.0, seed: 4);
        var residual = problem.OneHot();                                           // the only feasible β: the other class
        for (int i = 0; i < residual.Rows; i++) residual[i, 1 - problem.Labels[i]] -= 1;
        var m = Matrix.Multiply(problem.X, residual, transposeA: true);
        double expected = Enumerable.Range(0, m.Rows).Max(j => Math.Sqrt(m[j, 0] * m[j, 0] + m[j, 1] * m[j, 1]));
        var lambdaMax = new GroupSparseSvmDual().LambdaMax(problem.X, problem.Labels, 2);
        Assert.Equal(expected, lambdaMax.Value, 1e-12);
        Assert.Equal(0, lambdaMax.Iterations);
    }

    [Fact]
    public void Larger_lambda1_uses_fewer_features()
    {
        var problem = Problem(5, 5, 40, 0, 1.0, seed: 12, informative: 4);
        int previous = int.MaxValue;
        foreach (double ratio in new[] { 0.0, 0.1, 0.3, 0.6, 0.9 })
        {
            int support = Tight.Solve(WithRatio(problem, ratio)).Support.Length;
            Assert.True(support <= previous, $"ratio {ratio}: support {support} > {previous}");
            previous = support;
        }
        Assert.True(previous < 40);
    }

    [Fact]
    public void Warm_start_from_a_solution_converges_at_the_first_gap_check()
    {
        var problem = WithRatio(Problem(5, 5, 16, 0, 1.0, seed: 2), 0.2);
        var solver = new GroupSparseSvmDual(new GroupSparseSvmOptions(Tolerance: 1e-8, GapFrequency: 1));
        var cold = solver.Solve(problem);
        var warm = solver.Solve(problem, cold.Beta);
        Assert.True(warm.Report.Converged);
        Assert.Equal(1, warm.Report.Epochs);
        Assert.True(MaxAbsDifference(cold.W, warm.W) < 1e-4);
    }

    [Fact]
    public void Solve_many_equals_one_by_one_whatever_the_thread_count()
    {
        var problems = Enumerable.Range(0, 6).Select(s => WithRatio(Problem(5, 2, 12, 0, 1.0, seed: 40 + s), 0.1 * s)).ToArray();
        var single = problems.Select(p => new GroupSparseSvmDual().Solve(p)).ToArray();
        foreach (int threads in new[] { 1, 3 })
        {
            var many = new GroupSparseSvmDual(new GroupSparseSvmOptions(MaxDegreeOfParallelism: threads)).SolveMany(problems);
            for (int t = 0; t < problems.Length; t++) Assert.Equal(single[t].W.Data, many[t].W.Data);
        }
    }

    [Fact]
    public void Predictions_classify_separable_training_data()
    {
        var problem = Problem(5, 5, 10, 0, 0.1, seed: 9, noise: 0.1);
        var solution = Tight.Solve(problem);
        var scores = Matrix.Multiply(problem.X, solution.W);
        for (int i = 0; i < problem.X.Rows; i++)
        {
            var row = scores.Row(i).ToArray();
            Assert.Equal(problem.Labels[i], Array.IndexOf(row, row.Max()));
        }
    }
}
