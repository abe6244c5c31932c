using Disentangle.Solvers;
using Disentangle.Tensors;

namespace Disentangle.Experiments;

/// <summary>The outcome of K-fold cross-validation over a λ path.</summary>
/// <param name="BestLambda">The λ with the smallest mean validation error (the first on the path if tied).</param>
/// <param name="Lambdas">The path, in the order it was solved (decreasing).</param>
/// <param name="MeanValidationError">Mean over folds of the validation mean squared error, per λ.</param>
public sealed record CrossValidationResult(double BestLambda, double[] Lambdas, double[] MeanValidationError);

/// <summary>A linear model refitted at one λ: coefficients and, when fitted, the intercept <c>ȳ − x̄ᵀW</c>.</summary>
/// <param name="W">Coefficients, shape (m, k).</param>
/// <param name="Intercept">Per output, the intercept (zeros without one).</param>
public sealed record LinearFit(Matrix W, double[] Intercept)
{
    /// <summary>The predictions <c>XW + b</c>.</summary>
    public Matrix Predict(Matrix x)
    {
        var prediction = Matrix.Multiply(x, W);
        for (int i = 0; i < prediction.Rows; i++)
            for (int c = 0; c < prediction.Columns; c++) prediction[i, c] += Intercept[c];
        return prediction;
    }
}

/// <summary>K-fold cross-validation of a penalised linear model over a decreasing λ path, warm-starting each λ from the
/// previous solution: scikit-learn's <c>LassoCV</c> procedure (unshuffled <c>KFold</c>: the first n mod K folds hold one
/// sample more; with an intercept, each fold's training part is centred by its own means, and the validation
/// predictions add the fitted intercept back; the fold errors are averaged unweighted).</summary>
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
    /// <param name="fitIntercept">Fit an unpenalised intercept (centre each training fold), as scikit-learn does by default.</param>
    /// <param name="summedLoss">Hold <c>α = nλ</c> fixed across folds instead of λ: scikit-learn's Ridge penalises
    /// <c>‖y − Xw‖² + α‖w‖²</c> (a summed loss), so on a training fold of n' samples it solves our per-sample problem at
    /// <c>λ' = α/n'</c>; its Lasso's <c>α</c> is per sample already (false).</param>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 folds or more folds than samples.</exception>
    public static CrossValidationResult SelectLambda(IInnerSolver solver, Matrix x, Matrix y, IReadOnlyList<double> lambdas, int folds,
        bool fitIntercept = false, bool summedLoss = false)
    {
        ArgumentNullException.ThrowIfNull(solver);
        ArgumentNullException.ThrowIfNull(lambdas);
        int n = x.Rows;
        if (folds < 2 || folds > n)
            throw new ArgumentOutOfRangeException(nameof(folds), folds, $"Cross-validation needs 2 ≤ folds ≤ n = {n}.");
        var error = new double[lambdas.Count];
        for (int fold = 0; fold < folds; fold++)
        {
            var (start, end) = FoldBounds(n, folds, fold);
            var (xTrain, yTrain) = (Rows(x, 0, start, end, n), Rows(y, 0, start, end, n));
            var (xValid, yValid) = (Rows(x, start, end, 0, 0), Rows(y, start, end, 0, 0));
            var (xMean, yMean) = fitIntercept ? (CenterColumns(xTrain), CenterColumns(yTrain)) : (new double[x.Columns], new double[y.Columns]);
            Matrix? warm = null;
            for (int l = 0; l < lambdas.Count; l++)
            {
                double lambda = summedLoss ? lambdas[l] * n / xTrain.Rows : lambdas[l];
                var solution = solver.Solve(new InnerProblem(xTrain, yTrain, lambda), warm);
                warm = solution.W;
                var fit = new LinearFit(solution.W, Intercept(solution.W, xMean, yMean));
                error[l] += MeanSquaredError(fit.Predict(xValid), yValid) / folds;
            }
        }
        int best = 0;
        for (int l = 1; l < error.Length; l++) if (error[l] < error[best]) best = l;
        return new CrossValidationResult(lambdas[best], [.. lambdas], error);
    }

    /// <summary>Fits the model at <paramref name="lambda"/> on all of <paramref name="x"/>, with an intercept if asked.</summary>
    public static LinearFit Fit(IInnerSolver solver, Matrix x, Matrix y, double lambda, bool fitIntercept)
    {
        ArgumentNullException.ThrowIfNull(solver);
        var (xc, yc) = (x.Clone(), y.Clone());
        var (xMean, yMean) = fitIntercept ? (CenterColumns(xc), CenterColumns(yc)) : (new double[x.Columns], new double[y.Columns]);
        var w = solver.Solve(new InnerProblem(xc, yc, lambda)).W;
        return new LinearFit(w, Intercept(w, xMean, yMean));
    }

    /// <summary>Rows [start, end) of the validation part of fold <paramref name="fold"/>, as scikit-learn's unshuffled KFold.</summary>
    public static (int Start, int End) FoldBounds(int n, int folds, int fold)
    {
        int size = n / folds, extra = n % folds;
        int start = fold * size + Math.Min(fold, extra);
        return (start, start + size + (fold < extra ? 1 : 0));
    }

    /// <summary>Subtracts each column's mean in place and returns the means.</summary>
    public static double[] CenterColumns(Matrix m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var mean = new double[m.Columns];
        for (int i = 0; i < m.Rows; i++)
            for (int j = 0; j < m.Columns; j++) mean[j] += m[i, j] / m.Rows;
        for (int i = 0; i < m.Rows; i++)
            for (int j = 0; j < m.Columns; j++) m[i, j] -= mean[j];
        return mean;
    }

    /// <summary>Mean squared error of <paramref name="prediction"/> against <paramref name="y"/>, over all entries.</summary>
    public static double MeanSquaredError(Matrix prediction, Matrix y)
    {
        double sum = 0;
        for (int i = 0; i < y.Data.Length; i++) sum += (prediction.Data[i] - y.Data[i]) * (prediction.Data[i] - y.Data[i]);
        return sum / y.Data.Length;
    }

    /// <summary>Coefficient of determination <c>1 − SS_res/SS_tot</c> of <paramref name="prediction"/> (one output).</summary>
    public static double RSquared(Matrix prediction, Matrix y)
    {
        double mean = y.Data.Average(), total = 0;
        foreach (double v in y.Data) total += (v - mean) * (v - mean);
        return 1 - MeanSquaredError(prediction, y) * y.Data.Length / total;
    }

    private static double[] Intercept(Matrix w, double[] xMean, double[] yMean)
    {
        var b = (double[])yMean.Clone();
        for (int j = 0; j < w.Rows; j++)
            for (int c = 0; c < w.Columns; c++) b[c] -= xMean[j] * w[j, c];              // b = ȳ − x̄ᵀW
        return b;
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
