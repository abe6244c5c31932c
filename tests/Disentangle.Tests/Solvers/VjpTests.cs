using Disentangle.Solvers;
using Disentangle.Tensors;
using static Disentangle.Tests.Solvers.SolverTestData;

namespace Disentangle.Tests.Solvers;

/// <summary>Every solver's VJP against central finite differences of its solve (jaxopt's <c>test_root_vjp</c>), away from
/// support changes: L(X, Y) = ⟨G, Ŵ(X, Y)⟩ for a fixed random G.</summary>
public sealed class VjpTests
{
    private const double Step = 1e-6;

    // Solves run from zero until the computed gap reaches round-off (≤ 0). Warm starts from the unperturbed solution are
    // not used: there the gap of a ±1e-6 perturbation is already below round-off and the solve would return at once.
    private static readonly CdOptions Exact = new(Tolerance: 0, MaxEpochs: 5000, WorkingSets: false, Screening: false);

    public static TheoryData<INormPenalty, int, int, int, int> LassoCases => new()
    {
        { new L1(), 20, 8, 1, 21 },        // Lasso
        { new GroupL2(), 20, 8, 3, 22 },   // group Lasso, block-soft-threshold curvature
        { new L1(), 15, 25, 2, 23 },       // entrywise L1 with several outputs, m > n
        { new GroupL2(), 12, 30, 2, 24 },  // group Lasso, m > n
    };

    [Theory, MemberData(nameof(LassoCases))]
    public void Lasso_vjp_matches_central_differences(INormPenalty penalty, int n, int m, int k, int seed)
    {
        var (x, y) = Regression(n, m, k, seed);
        double lambda = 0.3 * penalty.LambdaMax(x, y);
        var solver = new LassoSolver(penalty, Exact);
        var problem = new InnerProblem(x, y, lambda);
        var solution = solver.Solve(problem);
        AssertAwayFromSupportChanges(penalty, x, y, solution, lambda);
        var g = Cotangent(m, k, seed + 100);
        var gradient = solver.Vjp(problem, solution, g);
        Assert.Equal(gradient.SystemSize, gradient.SystemRank);
        double Loss(Matrix xx, Matrix yy) => Dot(g, solver.Solve(new InnerProblem(xx, yy, lambda)).W);
        AssertMatchesFiniteDifferences(x, y, Loss, gradient);
    }

    [Theory, InlineData(30, 6, 2, 31), InlineData(10, 25, 3, 32), InlineData(40, 40, 1, 33)]
    public void Ridge_vjp_matches_central_differences(int n, int m, int k, int seed)
    {
        var (x, y) = Regression(n, m, k, seed);
        var solver = new RidgeSolver();
        double lambda = solver.LambdaFromRatio(x, y, 0.05);
        var problem = new InnerProblem(x, y, lambda);
        var gradient = solver.Vjp(problem, solver.Solve(problem), Cotangent(m, k, seed));
        var g = Cotangent(m, k, seed);
        double Loss(Matrix xx, Matrix yy) => Dot(g, solver.Solve(new InnerProblem(xx, yy, lambda)).W);
        AssertMatchesFiniteDifferences(x, y, Loss, gradient);
    }

    [Theory, InlineData(30, 6, 2), InlineData(10, 25, 3)]
    public void Ridge_closed_form_vjp_equals_the_generic_implicit_system(int n, int m, int k)
    {
        var (x, y) = Regression(n, m, k, seed: 34);
        var solver = new RidgeSolver();
        var problem = new InnerProblem(x, y, 0.3);
        var solution = solver.Solve(problem);
        var g = Cotangent(m, k, 35);
        var closed = solver.Vjp(problem, solution, g);
        var generic = ImplicitDifferentiation.Vjp(new L2(), x, solution.W, solution.Residual, 0.3, g);
        Assert.True(MaxAbsDifference(closed.DX, generic.DX) < 1e-10);
        Assert.True(MaxAbsDifference(closed.DY, generic.DY) < 1e-10);
        Assert.Equal(closed.DLambda, generic.DLambda, 1e-10);
    }

    [Theory, InlineData(false), InlineData(true)]
    public void Lambda_derivative_matches_central_differences(bool ridge)
    {
        var (x, y) = Regression(20, 8, 2, seed: 41);
        IInnerSolver solver = ridge ? new RidgeSolver() : new LassoSolver(new GroupL2(), Exact);
        double lambda = solver.LambdaFromRatio(x, y, ridge ? 0.05 : 0.3);
        var problem = new InnerProblem(x, y, lambda);
        var g = Cotangent(8, 2, 42);
        var gradient = solver.Vjp(problem, solver.Solve(problem), g);
        double h = 1e-6 * lambda;
        double fd = (Dot(g, solver.Solve(problem with { Lambda = lambda + h }).W)
                   - Dot(g, solver.Solve(problem with { Lambda = lambda - h }).W)) / (2 * h);
        Assert.Equal(fd, gradient.DLambda, 1e-5 * (1 + Math.Abs(fd)));
    }

    [Theory, InlineData(false), InlineData(true)]
    public void Gradient_through_the_lambda_scale_matches_central_differences(bool ridge)
    {
        var (x, y) = Regression(20, 8, 2, seed: 43);
        const double ratio = 0.3;
        IInnerSolver solver = ridge ? new RidgeSolver() : new LassoSolver(new GroupL2(), Exact);
        var problem = new InnerProblem(x, y, solver.LambdaFromRatio(x, y, ratio));
        var g = Cotangent(8, 2, 44);
        var solution = solver.Solve(problem);
        var stopped = solver.Vjp(problem, solution, g);
        var through = solver.ThroughLambdaScale(problem, ratio, stopped);
        double Loss(Matrix xx, Matrix yy) => Dot(g, solver.Solve(new InnerProblem(xx, yy, solver.LambdaFromRatio(xx, yy, ratio))).W);
        AssertMatchesFiniteDifferences(x, y, Loss, through);
        Assert.True(MaxAbsDifference(stopped.DX, through.DX) > 1e-4);                // the λ path is not negligible here
    }

    [Fact]
    public void Empty_support_gives_a_zero_gradient()
    {
        var (x, y) = Regression(20, 8, 2, seed: 45);
        var solver = new LassoSolver();
        var problem = new InnerProblem(x, y, 2 * new GroupL2().LambdaMax(x, y));
        var gradient = solver.Vjp(problem, solver.Solve(problem), Cotangent(8, 2, 46));
        Assert.Equal(0, gradient.SystemSize);
        Assert.All(gradient.DX.Data, v => Assert.Equal(0.0, v));
        Assert.All(gradient.DY.Data, v => Assert.Equal(0.0, v));
        Assert.Equal(0.0, gradient.DLambda);
    }

    [Fact]
    public void Singular_support_system_uses_the_pseudo_inverse_and_reports_its_rank()
    {
        var (x0, y) = Regression(25, 5, 1, seed: 47);
        var x = new Matrix(25, 6);                                                  // column 5 duplicates column 0
        for (int i = 0; i < 25; i++)
        {
            for (int j = 0; j < 5; j++) x[i, j] = x0[i, j];
            x[i, 5] = x0[i, 0];
        }
        var solver = new LassoSolver(new L1(), Exact);
        var problem = new InnerProblem(x, y, 0.2 * new L1().LambdaMax(x, y));
        var solved = solver.Solve(problem);
        double total = solved.W[0, 0] + solved.W[5, 0];                             // optimal solutions: any split of this sum
        Assert.True(Math.Abs(total) > 1e-3);
        var single = solved.W.Clone();
        (single[0, 0], single[5, 0]) = (total, 0);
        var split = solved.W.Clone();
        split[0, 0] = split[5, 0] = total / 2;
        var solution = solved with { W = single, Support = LassoSolverSupport(single) };
        var g = Cotangent(6, 1, 48);
        g[5, 0] = g[0, 0];                                                          // symmetric in the duplicated pair
        var regular = solver.Vjp(problem, solution, g);
        var pseudo = solver.Vjp(problem, solution with { W = split }, g);
        Assert.Equal(regular.SystemSize, regular.SystemRank);
        Assert.Equal(regular.SystemSize + 1, pseudo.SystemSize);
        Assert.Equal(pseudo.SystemSize - 1, pseudo.SystemRank);
        Assert.True(MaxAbsDifference(regular.DY, pseudo.DY) < 1e-9);                // same predictions, same ∂L/∂Y
    }

    private static int[] LassoSolverSupport(Matrix w) => Enumerable.Range(0, w.Rows).Where(j => w[j, 0] != 0).ToArray();

    [Fact]
    public void Batched_vjps_equal_single_vjps()
    {
        var solver = new LassoSolver(new GroupL2(), new CdOptions(MaxDegreeOfParallelism: 3));
        var problems = Enumerable.Range(0, 6).Select(t =>
        {
            var (x, y) = Regression(30, 10, 2, seed: 60 + t);
            return new InnerProblem(x, y, 0.3 * new GroupL2().LambdaMax(x, y));
        }).ToArray();
        var solutions = solver.SolveMany(problems);
        var cotangents = Enumerable.Range(0, 6).Select(t => Cotangent(10, 2, 70 + t)).ToArray();
        var batched = solver.VjpMany(problems, solutions, cotangents);
        for (int t = 0; t < 6; t++)
        {
            var single = solver.Vjp(problems[t], solver.Solve(problems[t]), cotangents[t]);
            Assert.Equal(single.DX.Data, batched[t].DX.Data);
            Assert.Equal(single.DY.Data, batched[t].DY.Data);
        }
    }

    private static void AssertMatchesFiniteDifferences(Matrix x, Matrix y, Func<Matrix, Matrix, double> loss, InnerGradient gradient)
    {
        double scale = 1 + Math.Max(gradient.DX.Data.Max(Math.Abs), gradient.DY.Data.Max(Math.Abs));
        var random = new Random(99);                                                // all of Y; 40 entries of X (all when fewer)
        var indices = Enumerable.Range(0, x.Data.Length).OrderBy(_ => random.Next()).Take(40);
        foreach (int i in indices)
        {
            double fd = Central(x, i, h => loss(Perturb(x, i, h), y));
            Assert.True(Math.Abs(fd - gradient.DX.Data[i]) < 1e-5 * scale,
                $"∂L/∂X[{i / x.Columns},{i % x.Columns}]: analytic {gradient.DX.Data[i]:e6}, finite differences {fd:e6}");
        }
        for (int i = 0; i < y.Data.Length; i++)
        {
            double fd = Central(y, i, h => loss(x, Perturb(y, i, h)));
            Assert.True(Math.Abs(fd - gradient.DY.Data[i]) < 1e-5 * scale,
                $"∂L/∂Y[{i / y.Columns},{i % y.Columns}]: analytic {gradient.DY.Data[i]:e6}, finite differences {fd:e6}");
        }
    }

    private static double Central(Matrix a, int index, Func<double, double> f) => (f(Step) - f(-Step)) / (2 * Step);

    private static Matrix Perturb(Matrix a, int index, double h)
    {
        var b = a.Clone();
        b.Data[index] += h;
        return b;
    }

    private static double Dot(Matrix a, Matrix b) => a.Data.Zip(b.Data, (u, v) => u * v).Sum();

    /// <summary>Support entries well away from 0 and inactive rows well inside the dual ball, so ±1e-6 keeps the support.</summary>
    private static void AssertAwayFromSupportChanges(INormPenalty penalty, Matrix x, Matrix y, InnerSolution solution, double lambda)
    {
        var xtr = Matrix.Multiply(x, solution.Residual, transposeA: true);
        for (int j = 0; j < solution.W.Rows; j++)
        {
            var wj = solution.W.Row(j).ToArray();
            if (wj.All(v => v == 0)) Assert.True(penalty.DualNorm(xtr.Row(j).ToArray()) / x.Rows < 0.999 * lambda, $"row {j} at the boundary");
            else if (penalty is L1) Assert.All(wj, v => Assert.True(v == 0 || Math.Abs(v) > 1e-4));
            else Assert.True(penalty.Value(wj) > 1e-4);
        }
    }
}

public sealed class GroupVjpFastPathTests
{
    [Theory, InlineData(40, 12, 3, 1), InlineData(50, 120, 5, 2), InlineData(15, 40, 4, 3)]
    public void Group_lasso_woodbury_path_equals_the_dense_system(int n, int m, int k, int seed)
    {
        var (x, y) = Regression(n, m, k, seed, active: 8);
        var solver = new LassoSolver(new GroupL2(), new CdOptions(Tolerance: 1e-12));
        var problem = new InnerProblem(x, y, 0.1 * new GroupL2().LambdaMax(x, y));
        var solution = solver.Solve(problem);
        var g = Cotangent(m, k, seed);
        var fast = solver.Vjp(problem, solution, g);
        var dense = ImplicitDifferentiation.DenseVjp(new GroupL2(), x, solution.W, solution.Residual, problem.Lambda, g);
        Assert.True(solution.Support.Length > 1);
        Assert.Equal(dense.SystemSize, fast.SystemSize);
        double scale = 1 + dense.DX.Data.Max(Math.Abs);
        Assert.True(MaxAbsDifference(dense.DX, fast.DX) < 1e-9 * scale, $"{MaxAbsDifference(dense.DX, fast.DX)}");
        Assert.True(MaxAbsDifference(dense.DY, fast.DY) < 1e-9 * scale);
        Assert.Equal(dense.DLambda, fast.DLambda, 1e-9 * (1 + Math.Abs(dense.DLambda)));
    }
}
