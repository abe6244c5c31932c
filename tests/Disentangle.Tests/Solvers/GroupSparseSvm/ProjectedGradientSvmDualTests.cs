using System.Numerics.Tensors;
using Disentangle.Solvers;
using Disentangle.Solvers.GroupSparseSvm;
using Disentangle.Tensors;
using static Disentangle.Tests.Solvers.GroupSparseSvm.GroupSparseSvmTestData;

namespace Disentangle.Tests.Solvers.GroupSparseSvm;

/// <summary>The released code's few-shot head: its fixed point is the regularised dual's optimum, it is our exact dual at
/// ρ = 0, its λ₁max is exact, and its implicit VJP at a converged point matches central differences.</summary>
public sealed class ProjectedGradientSvmDualTests
{
    private static ProjectedGradientSvmDual Converged(double rho, int steps = 20_000) =>
        new(new ProjectedGradientSvmOptions(DualRegularisation: rho, Steps: steps, ConjugateGradientSteps: 400, RidgeFactor: 0));

    /// <summary>‖β − Proj_Δ(β − ηG(β))‖_∞ with the regularised dual's gradient written out here, independently of the solver.</summary>
    private static double FixedPointResidual(GroupSparseSvmProblem problem, Matrix beta, double rho, double step)
    {
        var y = problem.OneHot();
        var xw = Matrix.Multiply(problem.X, GroupSparseSvmObjective.Coefficients(problem, beta));
        double worst = 0;
        var row = new double[problem.Classes];
        for (int i = 0; i < beta.Rows; i++)
        {
            for (int c = 0; c < problem.Classes; c++)
                row[c] = beta[i, c] - step * (-xw[i, c] + rho / problem.Lambda2 * (beta[i, c] - y[i, c]) + y[i, c]);
            SimplexProjection.Project(row, row);
            for (int c = 0; c < problem.Classes; c++) worst = Math.Max(worst, Math.Abs(row[c] - beta[i, c]));
        }
        return worst;
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.3, 1.0)]
    [InlineData(0.3, 1000.0)]
    public void Many_steps_reach_the_fixed_point_of_the_regularised_dual(double ratio, double lambda2)
    {
        var solver = Converged(1.0);
        var problem = Problem(5, 3, 10, 0, lambda2, seed: 11);
        problem = problem with { Lambda1 = ratio * solver.LambdaMax(problem.X, problem.Labels, problem.Classes, lambda2).Value };
        var solution = solver.Solve(problem);
        Assert.True(FixedPointResidual(problem, solution.Beta, 1.0, solver.Step(problem)) < 1e-12);
        Assert.All(Enumerable.Range(0, solution.Beta.Rows), i => Assert.Equal(1.0, solution.Beta.Row(i).ToArray().Sum(), 1e-12));
        Assert.True(solution.Report.DualityGap >= -1e-9);                                  // P − D of the exact problem at a feasible β
    }

    [Fact]
    public void Without_the_dual_term_it_converges_to_the_exact_dual_solution()
    {
        var problem = WithRatio(Problem(4, 3, 8, 0, 1.0, seed: 5), 0.2);
        var exact = Tight.Solve(problem).W;
        var approximate = Converged(0.0, steps: 200_000).Solve(problem).W;
        Assert.True(MaxAbsDifference(exact, approximate) <= 1e-5 * MaxAbs(exact), $"difference {MaxAbsDifference(exact, approximate):e2}");
    }

    [Fact]
    public void Lambda_max_is_the_smallest_lambda1_with_W_zero()
    {
        var solver = Converged(1.0, steps: 50_000);
        var problem = Problem(5, 2, 12, 0, 10.0, seed: 3);
        double lambdaMax = solver.LambdaMax(problem.X, problem.Labels, problem.Classes, problem.Lambda2).Value;
        Assert.All(solver.Solve(problem with { Lambda1 = lambdaMax * (1 + 1e-9) }).W.Data, v => Assert.Equal(0.0, v));
        Assert.NotEmpty(solver.Solve(problem with { Lambda1 = 0.95 * lambdaMax }).Support);
    }

    public static TheoryData<int, int, int, double, double> Cases() => new()
    {
        { 5, 3, 12, 0.0, 1.0 }, { 3, 4, 8, 0.0, 10.0 }, { 5, 3, 12, 0.3, 1.0 }, { 4, 2, 10, 0.5, 0.5 },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Implicit_vjp_at_a_converged_point_matches_central_differences(int classes, int shots, int p, double ratio, double lambda2)
    {
        var solver = Converged(1.0);
        var problem = Problem(classes, shots, p, 0, lambda2, seed: 200 + classes * shots + p);
        problem = problem with { Lambda1 = ratio * solver.LambdaMax(problem.X, problem.Labels, problem.Classes, lambda2).Value };
        var cotangent = Matrix.RandomNormal(p, classes, new Random(7));
        double Loss(Matrix x) => TensorPrimitives.Dot<double>(solver.Solve(problem with { X = x }).W.Data, cotangent.Data);
        var gradient = solver.Vjp(problem, solver.Solve(problem), cotangent);
        AssertMatchesCentralDifferences(problem.X, Loss, gradient.DX, trials: 12);
    }

    [Fact]
    public void The_released_defaults_give_a_finite_vjp_homogeneous_in_the_cotangent_and_one_ridge_per_batch()
    {
        var solver = new ProjectedGradientSvmDual();
        Assert.Equal((1.0, 5, 5), (solver.Options.DualRegularisation, solver.Options.Steps, solver.Options.ConjugateGradientSteps));
        var problems = new[] { Problem(5, 1, 16, 0, 1000, seed: 1), Problem(5, 1, 16, 0, 1000, seed: 2) };
        var solutions = solver.SolveMany(problems);
        Assert.All(solutions, s => Assert.Equal(5, s.Report.Epochs));
        var a = Matrix.RandomNormal(16, 5, new Random(1));
        var twice = new Matrix(16, 5);
        TensorPrimitives.Multiply<double>(a.Data, 2.0, twice.Data);
        var ga = solver.VjpMany(problems, solutions, [a, a]);
        var g2 = solver.VjpMany(problems, solutions, [twice, twice]);
        for (int t = 0; t < 2; t++)                // five CG iterations are homogeneous in the right-hand side, not linear
        {
            Assert.All(g2[t].DX.Data, v => Assert.True(double.IsFinite(v)));
            for (int k = 0; k < g2[t].DX.Data.Length; k++) Assert.Equal(2 * ga[t].DX.Data[k], g2[t].DX.Data[k], 1e-12);
        }
        // The batch's ridge comes from its largest step: a task alone (its own step) gets a different gradient unless the steps agree.
        double step0 = solver.Step(problems[0]), step1 = solver.Step(problems[1]);
        Assert.NotEqual(step0, step1);
        var alone = solver.Vjp(problems[step0 < step1 ? 0 : 1], solutions[step0 < step1 ? 0 : 1], a);
        Assert.NotEqual(alone.DX.Data, ga[step0 < step1 ? 0 : 1].DX.Data);
        Assert.Equal(solver.Vjp(problems[step0 < step1 ? 1 : 0], solutions[step0 < step1 ? 1 : 0], a).DX.Data, ga[step0 < step1 ? 1 : 0].DX.Data);
    }

    [Fact]
    public void Conjugate_gradient_solves_a_positive_definite_system_in_as_many_iterations_as_unknowns()
    {
        var random = new Random(4);
        var factor = Matrix.RandomNormal(6, 6, random);
        var system = Matrix.Multiply(factor, factor, transposeA: true);
        for (int i = 0; i < 6; i++) system[i, i] += 0.5;
        var rhs = Matrix.RandomNormal(6, 1, random);
        var solution = ProjectedGradientSvmDual.ConjugateGradient(v => Matrix.Multiply(system, v), rhs, 60);
        var image = Matrix.Multiply(system, solution);
        Assert.True(MaxAbsDifference(image, rhs) < 1e-9);
    }

    [Fact]
    public void Bad_options_are_refused_with_their_name()
    {
        Assert.Equal("Steps", Assert.Throws<ArgumentOutOfRangeException>(() => new ProjectedGradientSvmDual(new(Steps: 0))).ParamName);
        Assert.Equal("DualRegularisation", Assert.Throws<ArgumentOutOfRangeException>(() => new ProjectedGradientSvmDual(new(DualRegularisation: -1))).ParamName);
        Assert.Equal("ConjugateGradientSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new ProjectedGradientSvmDual(new(ConjugateGradientSteps: 0))).ParamName);
    }
}
