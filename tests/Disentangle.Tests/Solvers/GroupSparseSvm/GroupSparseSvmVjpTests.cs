using Disentangle.Solvers;
using Disentangle.Solvers.GroupSparseSvm;
using Disentangle.Tensors;
using static Disentangle.Tests.Solvers.GroupSparseSvm.GroupSparseSvmTestData;

namespace Disentangle.Tests.Solvers.GroupSparseSvm;

/// <summary>The implicit VJP of W(β*(X), X) against central differences of the solver itself.</summary>
public sealed class GroupSparseSvmVjpTests
{
    private static double Loss(GroupSparseSvmProblem problem, Matrix cotangent)
        => Tight.Solve(problem).W.Data.Zip(cotangent.Data, (w, g) => w * g).Sum();

    public static TheoryData<int, int, int, double, double> Cases() => new()
    {
        { 5, 5, 12, 0.0, 1.0 }, { 5, 1, 20, 0.0, 1.0 }, { 3, 4, 8, 0.0, 10.0 },
        { 5, 5, 12, 0.2, 1.0 }, { 4, 3, 15, 0.4, 0.5 }, { 5, 1, 30, 0.1, 1.0 },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Vjp_matches_central_differences(int classes, int shots, int p, double ratio, double lambda2)
    {
        var problem = WithRatio(Problem(classes, shots, p, 0, lambda2, seed: 100 + classes * shots + p), ratio);
        var cotangent = Matrix.RandomNormal(p, classes, new Random(7));
        var solution = Tight.Solve(problem);
        Assert.True(solution.Report.Converged);
        var gradient = Tight.Vjp(problem, solution, cotangent);
        Assert.Equal(gradient.FaceDimension, gradient.Rank);                          // a unique dual solution here
        AssertMatchesCentralDifferences(problem.X, x => Loss(problem with { X = x }, cotangent), gradient.DX, trials: 25);
    }

    [Fact]
    public void Vjp_is_zero_when_lambda1_exceeds_lambda_max()
    {
        var problem = WithRatio(Problem(5, 3, 10, 0, 1.0, seed: 1), 1.2);
        var solution = Tight.Solve(problem);
        var gradient = Tight.Vjp(problem, solution, Matrix.RandomNormal(10, 5, new Random(2)));
        Assert.All(gradient.DX.Data, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Vjp_is_linear_in_the_cotangent()
    {
        var problem = WithRatio(Problem(4, 4, 9, 0, 1.0, seed: 6), 0.15);
        var solution = Tight.Solve(problem);
        var a = Matrix.RandomNormal(9, 4, new Random(1));
        var b = Matrix.RandomNormal(9, 4, new Random(2));
        var sum = new Matrix(9, 4, a.Data.Zip(b.Data, (u, v) => 2 * u - 3 * v).ToArray());
        var ga = Tight.Vjp(problem, solution, a).DX;
        var gb = Tight.Vjp(problem, solution, b).DX;
        var gs = Tight.Vjp(problem, solution, sum).DX;
        for (int k = 0; k < gs.Data.Length; k++) Assert.Equal(2 * ga.Data[k] - 3 * gb.Data[k], gs.Data[k], 1e-10);
    }
}
