using Disentangle.Solvers;
using Disentangle.Tensors;
using static Disentangle.Tests.Solvers.SolverTestData;

namespace Disentangle.Tests.Solvers;

public sealed class RidgeTests
{
    [Theory, InlineData(30, 6, 2), InlineData(10, 25, 3)]
    public void Ridge_solution_satisfies_its_optimality_condition_with_zero_gap(int n, int m, int k)
    {
        var (x, y) = Regression(n, m, k, seed: 81);
        const double lambda = 0.2;
        var solution = new RidgeSolver().Solve(new InnerProblem(x, y, lambda));
        var xtr = Matrix.Multiply(x, Residual(x, y, solution.W), transposeA: true);
        for (int i = 0; i < xtr.Data.Length; i++) Assert.Equal(lambda * solution.W.Data[i], xtr.Data[i] / n, 1e-10);   // XᵀR/n = λW
        Assert.True(Math.Abs(solution.Report.DualityGap) < 1e-10);
        Assert.Equal(Primal(new L2(), x, y, solution.W, lambda), solution.Report.Objective, 1e-12);
        Assert.True(MaxAbsDifference(Residual(x, y, solution.W), solution.Residual) < 1e-12);
    }

    [Fact]
    public void Dual_form_for_wide_designs_equals_the_primal_form()
    {
        var (x, y) = Regression(12, 20, 2, seed: 82);
        var wide = new RidgeSolver().Solve(new InnerProblem(x, y, 0.5)).W;             // n < m: n×n system
        var gram = LinearAlgebra.Gram(x);                                             // (XᵀX/n + λI)⁻¹XᵀY/n by hand
        for (int i = 0; i < gram.Data.Length; i++) gram.Data[i] /= 12;
        for (int i = 0; i < 20; i++) gram[i, i] += 0.5;
        var xty = Matrix.Multiply(x, y, transposeA: true);
        for (int i = 0; i < xty.Data.Length; i++) xty.Data[i] /= 12;
        Assert.True(MaxAbsDifference(LinearAlgebra.Cholesky(gram).Solve(xty), wide) < 1e-10);
    }

    [Fact]
    public void Lambda_zero_is_least_squares_and_a_rank_deficient_design_reports_its_jitter()
    {
        var (x, y) = Regression(30, 4, 1, seed: 83);
        var solution = new RidgeSolver().Solve(new InnerProblem(x, y, 0));
        Assert.True(MaxAbsDifference(LinearAlgebra.LeastSquares(x, y).Coefficients, solution.W) < 1e-10);
        Assert.Equal(0, solution.Report.Jitter);
        Assert.True(double.IsNaN(solution.Report.DualityGap));
        var duplicated = new Matrix(30, 2);
        for (int i = 0; i < 30; i++) duplicated[i, 0] = duplicated[i, 1] = x[i, 0];
        Assert.True(new RidgeSolver().Solve(new InnerProblem(duplicated, y, 0)).Report.Jitter > 0);
    }

    [Fact]
    public void Ridge_lambda_scale_is_ratio_times_squared_frobenius_norm_over_n()
    {
        var x = Matrix.FromRows([[1, 2], [3, 4]]);
        Assert.Equal(0.5 * 30 / 2, Lambda.RidgeFromRatio(x, 0.5), 1e-15);
        Assert.Equal(0.5 * 15, new RidgeSolver().LambdaFromRatio(x, new Matrix(2, 1), 0.5), 1e-15);
    }
}
