using Disentangle.Solvers;
using Disentangle.Tensors;
using static Disentangle.Tests.Solvers.SolverTestData;

namespace Disentangle.Tests.Solvers;

/// <summary>Every bad-input path throws a clear exception naming the argument and the value.</summary>
public sealed class BadInputTests
{
    public static TheoryData<IInnerSolver> Solvers => new() { new LassoSolver(), new LassoSolver(new L1()), new RidgeSolver() };

    [Theory, MemberData(nameof(Solvers))]
    public void Nan_in_x_is_rejected_naming_the_entry(IInnerSolver solver)
    {
        var (x, y) = Regression(10, 4, 1, seed: 1);
        x[3, 2] = double.NaN;
        var e = Assert.Throws<NonFiniteException>(() => solver.Solve(new InnerProblem(x, y, 0.1)));
        Assert.Equal("problem.X", e.ParamName);
        Assert.Contains("[3, 2] = NaN", e.Message);
    }

    [Theory, MemberData(nameof(Solvers))]
    public void Infinity_in_y_is_rejected_naming_the_entry(IInnerSolver solver)
    {
        var (x, y) = Regression(10, 4, 2, seed: 1);
        y[7, 1] = double.PositiveInfinity;
        var e = Assert.Throws<NonFiniteException>(() => solver.Solve(new InnerProblem(x, y, 0.1)));
        Assert.Equal("problem.Y", e.ParamName);
        Assert.Contains("[7, 1] = Infinity", e.Message);
    }

    [Theory, MemberData(nameof(Solvers))]
    public void Row_count_mismatch_is_rejected_with_both_counts(IInnerSolver solver)
    {
        var e = Assert.Throws<ArgumentException>(() => solver.Solve(new InnerProblem(new Matrix(10, 3), new Matrix(9, 1), 0.1)));
        Assert.Contains("10 rows", e.Message);
        Assert.Contains("9", e.Message);
    }

    [Theory, MemberData(nameof(Solvers))]
    public void Negative_or_non_finite_lambda_is_rejected(IInnerSolver solver)
    {
        var (x, y) = Regression(10, 4, 1, seed: 1);
        foreach (double lambda in new[] { -0.5, double.NaN, double.PositiveInfinity })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => solver.Solve(new InnerProblem(x, y, lambda)));
            Assert.Equal("problem.Lambda", e.ParamName);
            Assert.Equal(lambda, e.ActualValue);
        }
    }

    [Theory, MemberData(nameof(Solvers))]
    public void Empty_design_is_rejected(IInnerSolver solver)
    {
        var e = Assert.Throws<ArgumentException>(() => solver.Solve(new InnerProblem(new Matrix(0, 3), new Matrix(0, 1), 0.1)));
        Assert.Contains("empty", e.Message);
        Assert.Throws<ArgumentException>(() => solver.Solve(new InnerProblem(new Matrix(5, 0), new Matrix(5, 1), 0.1)));
        Assert.Throws<ArgumentException>(() => solver.Solve(new InnerProblem(new Matrix(5, 2), new Matrix(5, 0), 0.1)));
    }

    [Fact]
    public void Lasso_with_lambda_zero_and_a_nonzero_correlation_is_rejected()
    {
        var (x, y) = Regression(10, 4, 1, seed: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LassoSolver().Solve(new InnerProblem(x, y, 0)));
        var zero = new LassoSolver().Solve(new InnerProblem(x, new Matrix(10, 1), 0));   // Y = 0: W = 0 is exact
        Assert.All(zero.W.Data, v => Assert.Equal(0.0, v));
    }

    [Theory, MemberData(nameof(Solvers))]
    public void Cotangent_of_the_wrong_shape_is_rejected(IInnerSolver solver)
    {
        var (x, y) = Regression(10, 4, 2, seed: 1);
        var problem = new InnerProblem(x, y, 0.1);
        var e = Assert.Throws<ArgumentException>(() => solver.Vjp(problem, solver.Solve(problem), new Matrix(4, 3)));
        Assert.Equal("cotangent", e.ParamName);
        Assert.Contains("4×3", e.Message);
    }

    [Fact]
    public void Warm_start_of_the_wrong_shape_is_rejected()
    {
        var (x, y) = Regression(10, 4, 2, seed: 1);
        var e = Assert.Throws<ArgumentException>(() => new LassoSolver().Solve(new InnerProblem(x, y, 0.1), new Matrix(3, 2)));
        Assert.Equal("warmStart", e.ParamName);
    }

    [Fact]
    public void Out_of_range_options_are_rejected_by_the_constructor()
    {
        Assert.Equal("Tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => new LassoSolver(new CdOptions(Tolerance: -1))).ParamName);
        Assert.Equal("MaxEpochs", Assert.Throws<ArgumentOutOfRangeException>(() => new LassoSolver(new CdOptions(MaxEpochs: 0))).ParamName);
        Assert.Equal("GapFrequency", Assert.Throws<ArgumentOutOfRangeException>(() => new LassoSolver(new CdOptions(GapFrequency: 0))).ParamName);
        Assert.Equal("AndersonMemory", Assert.Throws<ArgumentOutOfRangeException>(() => new LassoSolver(new CdOptions(AndersonMemory: 1))).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LassoSolver(new CdOptions(MaxDegreeOfParallelism: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RidgeSolver(maxDegreeOfParallelism: -2));
    }

    [Fact]
    public void Negative_lambda_ratio_is_rejected()
    {
        var (x, y) = Regression(10, 4, 1, seed: 1);
        Assert.Equal("ratio", Assert.Throws<ArgumentOutOfRangeException>(() => Lambda.FromRatio(new L1(), x, y, -0.3)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RidgeSolver().LambdaFromRatio(x, y, double.NaN));
    }

    [Fact]
    public void Bad_input_in_a_batch_surfaces_as_the_same_exception()
    {
        var (x, y) = Regression(10, 4, 1, seed: 1);
        var bad = x.Clone();
        bad[0, 0] = double.NaN;
        var problems = new[] { new InnerProblem(x, y, 0.1), new InnerProblem(bad, y, 0.1) };
        Assert.Equal("problem.X", Assert.Throws<NonFiniteException>(() => new LassoSolver().SolveMany(problems)).ParamName);
    }
}
