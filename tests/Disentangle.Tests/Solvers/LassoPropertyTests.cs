using Disentangle.Solvers;
using Disentangle.Tensors;
using static Disentangle.Tests.Solvers.SolverTestData;

namespace Disentangle.Tests.Solvers;

/// <summary>The (group) Lasso checked by its mathematics (scikit-learn's and skglm's test style).</summary>
public sealed class LassoPropertyTests
{
    public static TheoryData<INormPenalty, int> Penalties => new()
    {
        { new L1(), 1 }, { new GroupL2(), 1 }, { new L1(), 3 }, { new GroupL2(), 3 },
    };

    [Theory, MemberData(nameof(Penalties))]
    public void Lambda_at_or_above_lambda_max_gives_all_zero_coefficients(INormPenalty penalty, int k)
    {
        var (x, y) = Regression(n: 30, m: 50, k, seed: 1563);
        double lambdaMax = penalty.LambdaMax(x, y);
        var solver = new LassoSolver(penalty, new CdOptions(Tolerance: 0));
        foreach (double lambda in new[] { lambdaMax, 1.5 * lambdaMax })
        {
            var solution = solver.Solve(new InnerProblem(x, y, lambda));
            Assert.All(solution.W.Data, v => Assert.Equal(0.0, v));
            Assert.Empty(solution.Support);
            Assert.True(solution.Report.Converged);
        }
        Assert.NotEmpty(new LassoSolver(penalty).Solve(new InnerProblem(x, y, 0.99 * lambdaMax)).Support);   // just below, something enters
    }

    [Theory, InlineData(40, 12), InlineData(20, 60)]
    public void Group_lasso_with_groups_of_size_one_equals_lasso(int n, int m)
    {
        var (x, y) = Regression(n, m, k: 1, seed: 11);
        double lambda = 0.2 * new L1().LambdaMax(x, y);
        var lasso = new LassoSolver(new L1(), Plain(1e-13)).Solve(new InnerProblem(x, y, lambda));
        var group = new LassoSolver(new GroupL2(), Plain(1e-13)).Solve(new InnerProblem(x, y, lambda));
        Assert.True(MaxAbsDifference(lasso.W, group.W) < 1e-12);
        Assert.Equal(lasso.Support, group.Support);
    }

    public static TheoryData<INormPenalty> BothPenalties => new() { new L1(), new GroupL2() };

    [Theory, MemberData(nameof(BothPenalties))]
    public void Duplicated_targets_give_identical_columns(INormPenalty penalty)
    {
        var (x, y1) = Regression(n: 40, m: 25, k: 1, seed: 5);
        var y = new Matrix(40, 2);
        for (int i = 0; i < 40; i++) y[i, 0] = y[i, 1] = y1[i, 0];
        var w = new LassoSolver(penalty).Solve(new InnerProblem(x, y, 0.3 * penalty.LambdaMax(x, y))).W;
        for (int j = 0; j < 25; j++) Assert.Equal(w[j, 0], w[j, 1]);
    }

    [Theory, MemberData(nameof(Penalties))]
    public void Reported_gap_equals_primal_minus_dual_recomputed_by_hand_and_is_below_tolerance(INormPenalty penalty, int k)
    {
        var (x, y) = Regression(n: 40, m: 80, k, seed: 2);
        double lambda = 0.1 * penalty.LambdaMax(x, y);
        var solution = new LassoSolver(penalty, new CdOptions(Tolerance: 1e-9)).Solve(new InnerProblem(x, y, lambda));
        double primal = Primal(penalty, x, y, solution.W, lambda), dual = Dual(penalty, x, y, solution.W, lambda);
        double scale = y.Data.Sum(v => v * v) / (2.0 * x.Rows);
        Assert.Equal(primal, solution.Report.Objective, 1e-12 * scale);
        Assert.Equal(primal - dual, solution.Report.DualityGap, 1e-12 * scale);
        Assert.True(solution.Report.Converged);
        Assert.True(solution.Report.DualityGap <= 1e-9 * scale);
        Assert.Equal(1e-9 * scale, solution.Report.GapTolerance, 1e-20);
        AssertResidualIsYMinusXW(x, y, solution);
    }

    [Theory, MemberData(nameof(Penalties))]
    public void Kkt_residuals_are_below_tolerance(INormPenalty penalty, int k)
    {
        var (x, y) = Regression(n: 50, m: 30, k, seed: 3);
        double lambda = 0.2 * penalty.LambdaMax(x, y);
        var w = new LassoSolver(penalty, new CdOptions(Tolerance: 1e-14)).Solve(new InnerProblem(x, y, lambda)).W;
        var r = Residual(x, y, w);
        var gradient = Matrix.Multiply(x, r, transposeA: true);                     // ∇_W = −XᵀR/n
        for (int j = 0; j < 30; j++)
        {
            var g = gradient.Row(j).ToArray().Select(v => -v / x.Rows).ToArray();
            Assert.True(penalty.SubdifferentialDistance(w.Row(j).ToArray(), g, lambda) < 1e-6 * lambda, $"row {j}");
        }
    }

    [Theory, MemberData(nameof(Penalties))]
    public void Warm_start_five_plus_five_epochs_equals_ten(INormPenalty penalty, int k)
    {
        var (x, y) = Regression(n: 30, m: 40, k, seed: 4);
        double lambda = 0.05 * penalty.LambdaMax(x, y);
        var problem = new InnerProblem(x, y, lambda);
        var five = new LassoSolver(penalty, Plain(0, 5));
        var first = five.Solve(problem);
        var second = five.Solve(problem, first.W);
        var ten = new LassoSolver(penalty, Plain(0, 10)).Solve(problem);
        Assert.Equal(5, second.Report.Epochs);
        Assert.Equal(10, ten.Report.Epochs);
        Assert.True(MaxAbsDifference(second.W, ten.W) < 1e-13);
        Assert.True(MaxAbsDifference(first.W, ten.W) > 1e-8);                        // the second half did move
    }

    [Theory, InlineData(1), InlineData(3)]
    public void Orthogonal_design_gives_block_soft_thresholding(int k)
    {
        const int n = 8;
        var q = LinearAlgebra.EigenSymmetric(LinearAlgebra.Gram(Matrix.RandomNormal(n + 3, n, new Random(9)))).Vectors;
        var x = new Matrix(n, 5);                                                   // XᵀX = n I
        for (int i = 0; i < n; i++)
            for (int j = 0; j < 5; j++) x[i, j] = q[i, j] * Math.Sqrt(n);
        var y = Matrix.RandomNormal(n, k, new Random(10));
        var xty = Matrix.Multiply(x, y, transposeA: true);
        foreach (INormPenalty penalty in new INormPenalty[] { new L1(), new GroupL2() })
        {
            double lambda = 0.5 * penalty.LambdaMax(x, y);
            var w = new LassoSolver(penalty, new CdOptions(Tolerance: 1e-14)).Solve(new InnerProblem(x, y, lambda)).W;
            for (int j = 0; j < 5; j++)
            {
                var z = xty.Row(j).ToArray().Select(v => v / n).ToArray();           // W_j = prox_{λψ}(X_jᵀY/n)
                var expected = new double[k];
                if (penalty is L1)
                    for (int c = 0; c < k; c++) expected[c] = Math.Sign(z[c]) * Math.Max(Math.Abs(z[c]) - lambda, 0);
                else
                {
                    double norm = Math.Sqrt(z.Sum(v => v * v));
                    for (int c = 0; c < k; c++) expected[c] = z[c] * Math.Max(0, 1 - lambda / norm);
                }
                for (int c = 0; c < k; c++) Assert.Equal(expected[c], w[j, c], 1e-9);
            }
        }
    }

    [Fact]
    public void Entrywise_l1_with_several_outputs_equals_one_lasso_per_output()
    {
        var (x, y) = Regression(n: 30, m: 20, k: 3, seed: 6);
        const double lambda = 0.05;
        var joint = new LassoSolver(new L1(), Plain(1e-14)).Solve(new InnerProblem(x, y, lambda)).W;
        for (int c = 0; c < 3; c++)
        {
            var yc = new Matrix(30, 1, y.Column(c));
            var single = new LassoSolver(new L1(), Plain(1e-14)).Solve(new InnerProblem(x, yc, lambda)).W;
            for (int j = 0; j < 20; j++) Assert.Equal(single[j, 0], joint[j, c], 1e-9);
        }
    }

    [Theory, MemberData(nameof(Penalties))]
    public void Working_sets_screening_and_anderson_reach_the_plain_solution(INormPenalty penalty, int k)
    {
        var (x, y) = Regression(n: 60, m: 400, k, seed: 8, active: 6);
        double lambda = 0.1 * penalty.LambdaMax(x, y);
        var problem = new InnerProblem(x, y, lambda);
        var plain = new LassoSolver(penalty, Plain(1e-14)).Solve(problem);
        foreach (var options in new[]
        {
            new CdOptions(Tolerance: 1e-14, MaxEpochs: 100_000, InitialWorkingSet: 16),
            new CdOptions(Tolerance: 1e-14, MaxEpochs: 100_000, WorkingSets: false),
            new CdOptions(Tolerance: 1e-14, MaxEpochs: 100_000, Screening: false, AndersonMemory: 0, InitialWorkingSet: 10),
            new CdOptions(Tolerance: 1e-14, MaxEpochs: 100_000, WorkingSets: false, Screening: false, AndersonMemory: 5),
        })
        {
            var fast = new LassoSolver(penalty, options).Solve(problem);
            Assert.True(fast.Report.Converged, options.ToString());
            Assert.True(MaxAbsDifference(plain.W, fast.W) < 1e-6, $"{options}: {MaxAbsDifference(plain.W, fast.W)}");
            Assert.Equal(plain.Support, fast.Support);
        }
    }

    [Fact]
    public void Non_convergence_is_reported_in_the_result()
    {
        var (x, y) = Regression(n: 30, m: 60, k: 1, seed: 12);
        var solution = new LassoSolver(new CdOptions(Tolerance: 1e-15, MaxEpochs: 2))
            .Solve(new InnerProblem(x, y, 0.01 * new L1().LambdaMax(x, y)));
        Assert.False(solution.Report.Converged);
        Assert.Equal(2, solution.Report.Epochs);
        Assert.True(solution.Report.DualityGap > solution.Report.GapTolerance);
    }

    [Fact]
    public void Zero_norm_features_stay_zero_even_from_a_nonzero_warm_start()
    {
        var (x, y) = Regression(n: 20, m: 6, k: 2, seed: 13);
        for (int i = 0; i < 20; i++) x[i, 2] = 0;
        var warm = Matrix.RandomNormal(6, 2, new Random(1));
        var solution = new LassoSolver().Solve(new InnerProblem(x, y, 0.1 * new GroupL2().LambdaMax(x, y)), warm);
        Assert.Equal(0, solution.W[2, 0]);
        Assert.Equal(0, solution.W[2, 1]);
        Assert.True(solution.Report.Converged);
        AssertResidualIsYMinusXW(x, y, solution);
    }

    private static void AssertResidualIsYMinusXW(Matrix x, Matrix y, InnerSolution solution)
        => Assert.True(MaxAbsDifference(Residual(x, y, solution.W), solution.Residual) < 1e-10);
}

/// <summary>The inlined k = 1 soft-thresholding epoch against the general block path (reached through a wrapper penalty).</summary>
public sealed class ScalarPathTests
{
    private sealed class WrappedL1 : INormPenalty
    {
        private readonly L1 inner = new();
        public double Value(ReadOnlySpan<double> block) => inner.Value(block);
        public void Prox(ReadOnlySpan<double> v, double threshold, Span<double> destination) => inner.Prox(v, threshold, destination);
        public double SubdifferentialDistance(ReadOnlySpan<double> block, ReadOnlySpan<double> gradient, double lambda) => inner.SubdifferentialDistance(block, gradient, lambda);
        public double LambdaMax(Matrix x, Matrix y) => inner.LambdaMax(x, y);
        public int ActiveEntries(ReadOnlySpan<double> block, Span<bool> active) => inner.ActiveEntries(block, active);
        public void AddCurvature(ReadOnlySpan<double> block, double lambda, Span<double> destination) => inner.AddCurvature(block, lambda, destination);
        public void ActiveGradient(ReadOnlySpan<double> block, Span<double> destination) => inner.ActiveGradient(block, destination);
        public double DualNorm(ReadOnlySpan<double> v) => inner.DualNorm(v);
        public void DualNormGradient(ReadOnlySpan<double> v, Span<double> destination) => inner.DualNormGradient(v, destination);
    }

    [Theory, InlineData(30, 10), InlineData(20, 100)]
    public void Scalar_fast_path_gives_the_same_iterates_as_the_general_block_path(int n, int m)
    {
        var (x, y) = SolverTestData.Regression(n, m, 1, seed: 14);
        var problem = new InnerProblem(x, y, 0.1 * new L1().LambdaMax(x, y));
        foreach (int epochs in new[] { 3, 50 })
        {
            var options = SolverTestData.Plain(0, epochs);
            var fast = new LassoSolver(new L1(), options).Solve(problem);
            var general = new LassoSolver(new WrappedL1(), options).Solve(problem);
            Assert.True(SolverTestData.MaxAbsDifference(fast.W, general.W) < 1e-14);
        }
    }
}
