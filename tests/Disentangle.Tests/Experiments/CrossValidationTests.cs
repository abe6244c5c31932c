using System.Text.Json;
using Disentangle.Experiments;
using Disentangle.Solvers;
using Disentangle.Tensors;

namespace Disentangle.Tests.Experiments;

/// <summary>Our cross-validation against scikit-learn's LassoCV / RidgeCV (fixtures from tests/fixtures/cv_sklearn.py,
/// scikit-learn 1.2.1).</summary>
public sealed class CrossValidationTests
{
    private static readonly Lazy<JsonElement[]> problems = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Experiments", "sklearn_cv.json");
        return [.. JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("problems").EnumerateArray()];
    });

    public static TheoryData<int> Indices => new() { 0, 1, 2 };

    private static double[] Numbers(JsonElement p, string key) => [.. p.GetProperty(key).EnumerateArray().Select(e => e.GetDouble())];

    private static (Matrix X, Matrix Y) Data(JsonElement p)
    {
        int n = p.GetProperty("n").GetInt32(), m = p.GetProperty("m").GetInt32();
        return (new Matrix(n, m, Numbers(p, "x")), new Matrix(n, 1, Numbers(p, "y")));
    }

    [Theory, MemberData(nameof(Indices))]
    public void Lasso_cross_validation_with_intercept_matches_scikit_learn_lasso_cv(int index)
    {
        var p = problems.Value[index];
        var (x, y) = Data(p);
        var (xc, yc) = (x.Clone(), y.Clone());
        CrossValidation.CenterColumns(xc);
        CrossValidation.CenterColumns(yc);
        var path = CrossValidation.GeometricPath(new L1().LambdaMax(xc, yc), 1e-3, 100);
        var alphas = Numbers(p, "lasso_alphas");
        for (int l = 0; l < 100; l++) Assert.Equal(alphas[l], path[l], 1e-12 * alphas[0]);
        var solver = new LassoSolver(new L1(), new CdOptions(Tolerance: 1e-14, MaxEpochs: 100_000));
        var cv = CrossValidation.SelectLambda(solver, x, y, path, 5, fitIntercept: true);
        var mse = Numbers(p, "lasso_mse_path_mean");
        for (int l = 0; l < 100; l++) Assert.True(Math.Abs(mse[l] - cv.MeanValidationError[l]) < 1e-7 * mse[l], $"λ {l}: {cv.MeanValidationError[l]} vs {mse[l]}");
        Assert.Equal(p.GetProperty("lasso_alpha").GetDouble(), cv.BestLambda, 1e-12);
        var fit = CrossValidation.Fit(solver, x, y, cv.BestLambda, fitIntercept: true);
        var coef = Numbers(p, "lasso_coef");
        for (int j = 0; j < coef.Length; j++) Assert.Equal(coef[j], fit.W[j, 0], 1e-6);
        Assert.Equal(p.GetProperty("lasso_intercept").GetDouble(), fit.Intercept[0], 1e-6);
    }

    [Theory, MemberData(nameof(Indices))]
    public void Ridge_cross_validation_with_intercept_matches_scikit_learn_ridge_cv_on_the_same_path(int index)
    {
        var p = problems.Value[index];
        var (x, y) = Data(p);
        var lambdas = Numbers(p, "ridge_lambdas");
        var solver = new RidgeSolver(maxDegreeOfParallelism: 1);
        var cv = CrossValidation.SelectLambda(solver, x, y, lambdas, 5, fitIntercept: true, summedLoss: true);
        Assert.Equal(p.GetProperty("ridge_alpha").GetDouble(), x.Rows * cv.BestLambda, 1e-9 * x.Rows * cv.BestLambda);   // α = nλ
        var fit = CrossValidation.Fit(solver, x, y, cv.BestLambda, fitIntercept: true);
        var coef = Numbers(p, "ridge_coef");
        for (int j = 0; j < coef.Length; j++) Assert.Equal(coef[j], fit.W[j, 0], 1e-8);
        Assert.Equal(p.GetProperty("ridge_intercept").GetDouble(), fit.Intercept[0], 1e-8);
    }

    [Theory]
    [InlineData(10, 5, new[] { 0, 2, 4, 6, 8, 10 })]
    [InlineData(52, 5, new[] { 0, 11, 22, 32, 42, 52 })]
    public void Folds_are_scikit_learns_unshuffled_kfold(int n, int folds, int[] starts)
    {
        for (int f = 0; f < folds; f++) Assert.Equal((starts[f], starts[f + 1]), CrossValidation.FoldBounds(n, folds, f));
    }

    [Fact]
    public void The_intercept_absorbs_a_constant_shift_of_the_targets()
    {
        var random = new Random(1);
        var x = Matrix.RandomNormal(40, 5, random);
        var y = new Matrix(40, 1);
        for (int i = 0; i < 40; i++) y[i, 0] = 2 * x[i, 0] + 100;
        var fit = CrossValidation.Fit(new RidgeSolver(), x, y, 1e-9, fitIntercept: true);
        Assert.Equal(2, fit.W[0, 0], 1e-6);
        Assert.Equal(100, fit.Intercept[0], 1e-6);
        Assert.Equal(1, CrossValidation.RSquared(fit.Predict(x), y), 1e-9);
    }
}
