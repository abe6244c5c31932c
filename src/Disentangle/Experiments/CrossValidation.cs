using Disentangle.Solvers;
using Disentangle.Tensors;

namespace Disentangle.Experiments;

/// <summary>The outcome of K-fold cross-validation over a λ path.</summary>
/// <param name="BestLambda">The λ with the smallest mean validation error.</param>
/// <param name="Lambdas">The path, in the order it was solved (decreasing).</param>
/// <param name="MeanValidationError">Mean over folds of the validation mean squared error, per λ.</param>
public sealed record CrossValidationResult(double BestLambda, double[] Lambdas, double[] MeanValidationError);

/// <summary>K-fold cross-validation of a penalised linear model over a decreasing λ path, warm-starting each λ from the
/// previous solution (scikit-learn's <c>LassoCV</c> procedure, with consecutive unshuffled folds like its <c>KFold</c>).</summary>
public static class CrossValidation
{
    /// <summary>A decreasing geometric grid from <paramref name="largest"/> to <c>largest·smallestRatio</c>.</summary>
    public static double[] GeometricPath(double largest, double smallestRatio, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!(largest > 0) || !(smallestRatio > 0) || smallestRatio > 1)
            throw new ArgumentOutOfRangeException(nameof(largest), $"A λ path needs largest > 0 and 0 < smallestRatio ≤ 1 (got {largest}, {smallestRatio}).");
        return Enumerable.Range(0, count)
            .Select(i => largest * Math.Pow(smallestRatio, count == 1 ? 0 : i / (double)(count - 1))).ToArray();
    }

    /// <summary>Selects λ on <paramref name="lambdas"/> (decreasing) by <paramref name="folds"/>-fold cross-validation.</summary>
    /// <param name="solver">The inner solver (Lasso, group Lasso or Ridge).</param>
    /// <param name="x">Features, shape (n, m).</param>
    /// <param name="y">Targets, shape (n, k).</param>
    /// <param name="lambdas">The path, largest first.</param>
    /// <param name="folds">Number of folds, 2 ≤ folds ≤ n.</param>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 folds or more folds than samples.</exception>
    public static CrossValidationResult SelectLambda(IInnerSolver solver, Matrix x, Matrix y, IReadOnlyList<double> lambdas, int folds)
    {
        int n = x.Rows;
        if (folds < 2 || folds > n)
            throw new ArgumentOutOfRangeException(nameof(folds), folds, $"Cross-validation needs 2 ≤ folds ≤ n = {n}.");
        var error = new double[lambdas.Count];
        for (int fold = 0; fold < folds; fold++)
        {
            int start = fold * n / folds, end = (fold + 1) * n / folds;     // sklearn KFold: consecutive blocks
            var (xTrain, yTrain) = (Rows(x, 0, start, end, n), Rows(y, 0, start, end, n));
            var (xValid, yValid) = (Rows(x, start, end, 0, 0), Rows(y, start, end, 0, 0));
            Matrix? warm = null;
            for (int l = 0; l < lambdas.Count; l++)
            {
                var solution = solver.Solve(new InnerProblem(xTrain, yTrain, lambdas[l]), warm);
                warm = solution.W;
                error[l] += MeanSquaredError(xValid, yValid, solution.W) / folds;
            }
        }
        int best = 0;
        for (int l = 1; l < error.Length; l++) if (error[l] < error[best]) best = l;
        return new CrossValidationResult(lambdas[best], [.. lambdas], error);
    }

    /// <summary>Mean squared error of the predictions <c>X·W</c> against <paramref name="y"/>, over all entries.</summary>
    public static double MeanSquaredError(Matrix x, Matrix y, Matrix w)
    {
        var prediction = Matrix.Multiply(x, w);
        double sum = 0;
        for (int i = 0; i < y.Data.Length; i++) sum += (prediction.Data[i] - y.Data[i]) * (prediction.Data[i] - y.Data[i]);
        return sum / y.Data.Length;
    }

    /// <summary>Coefficient of determination <c>1 − SS_res/SS_tot</c> of the predictions <c>X·w</c> (one output).</summary>
    public static double RSquared(Matrix x, Matrix y, Matrix w)
    {
        double mean = y.Data.Average(), total = 0;
        foreach (double v in y.Data) total += (v - mean) * (v - mean);
        return 1 - MeanSquaredError(x, y, w) * y.Data.Length / total;
    }

    /// <summary>Rows [a, b) followed by rows [c, d) of <paramref name="m"/>.</summary>
    private static Matrix Rows(Matrix m, int a, int b, int c, int d)
    {
        var result = new Matrix(b - a + d - c, m.Columns);
        m.Data.AsSpan(a * m.Columns, (b - a) * m.Columns).CopyTo(result.Data);
        m.Data.AsSpan(c * m.Columns, (d - c) * m.Columns).CopyTo(result.Data.AsSpan((b - a) * m.Columns));
        return result;
    }
}
