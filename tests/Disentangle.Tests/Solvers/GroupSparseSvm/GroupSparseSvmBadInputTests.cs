using Disentangle.Solvers;
using Disentangle.Solvers.GroupSparseSvm;
using Disentangle.Tensors;

namespace Disentangle.Tests.Solvers.GroupSparseSvm;

public sealed class GroupSparseSvmBadInputTests
{
    private static readonly Matrix X = Matrix.RandomNormal(4, 3, new Random(1));

    [Fact]
    public void Mismatched_labels_name_both_counts()
    {
        var e = Assert.Throws<ArgumentException>(() => new GroupSparseSvmDual().Solve(new GroupSparseSvmProblem(X, [0, 1, 0], 2, 0, 1)));
        Assert.Contains("4 rows", e.Message);
        Assert.Contains("3 labels", e.Message);
    }

    [Fact]
    public void Label_outside_the_classes_is_named()
    {
        var e = Assert.Throws<ArgumentException>(() => new GroupSparseSvmDual().Solve(new GroupSparseSvmProblem(X, [0, 1, 2, 3], 3, 0, 1)));
        Assert.Contains("problem.Labels[3] = 3", e.Message);
    }

    [Theory, InlineData(1, 0.0, 1.0), InlineData(2, -0.1, 1.0), InlineData(2, 0.0, 0.0), InlineData(2, double.NaN, 1.0), InlineData(2, 0.0, double.PositiveInfinity)]
    public void Out_of_range_classes_or_lambdas_throw(int classes, double lambda1, double lambda2)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new GroupSparseSvmDual().Solve(new GroupSparseSvmProblem(X, [0, 0, 0, 0], classes, lambda1, lambda2)));

    [Fact]
    public void Non_finite_features_are_located()
    {
        var x = X.Clone();
        x[2, 1] = double.NaN;
        var e = Assert.Throws<NonFiniteException>(() => new GroupSparseSvmDual().Solve(new GroupSparseSvmProblem(x, [0, 1, 0, 1], 2, 0, 1)));
        Assert.Contains("[2, 1]", e.Message);
    }

    [Fact]
    public void Wrong_cotangent_and_warm_start_shapes_throw()
    {
        var problem = new GroupSparseSvmProblem(X, [0, 1, 0, 1], 2, 0, 1);
        var solver = new GroupSparseSvmDual();
        var solution = solver.Solve(problem);
        Assert.Throws<ArgumentException>(() => solver.Vjp(problem, solution, new Matrix(2, 3)));
        Assert.Throws<ArgumentException>(() => solver.Solve(problem, new Matrix(3, 2)));
        Assert.Throws<ArgumentException>(() => solver.SolveMany([problem], []));
    }

    [Theory, InlineData(-1.0, 10, 5), InlineData(1e-6, 0, 5), InlineData(1e-6, 10, 0)]
    public void Bad_options_throw(double tolerance, int epochs, int frequency)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new GroupSparseSvmDual(new GroupSparseSvmOptions(tolerance, epochs, frequency)));
}
