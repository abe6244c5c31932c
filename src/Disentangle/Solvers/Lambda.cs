using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>The λ scaling of method.md §3 ("λ_max trick"), computed without gradient.</summary>
public static class Lambda
{
    /// <summary>Lasso: <c>λ = c·λ_max(X, Y)</c>, the smallest λ with W* = 0 scaled by c.</summary>
    /// <param name="penalty">The penalty whose λ_max is used.</param>
    /// <param name="x">Features, shape (n, m).</param>
    /// <param name="y">Targets, shape (n, k).</param>
    /// <param name="ratio">c = λ/λ_max ≥ 0 (the reference uses 0.3).</param>
    /// <exception cref="ArgumentOutOfRangeException">The ratio is negative or non-finite.</exception>
    public static double FromRatio(INormPenalty penalty, Matrix x, Matrix y, double ratio)
    {
        ArgumentNullException.ThrowIfNull(penalty);
        CheckRatio(ratio);
        return ratio * penalty.LambdaMax(x, y);
    }

    /// <summary>Ridge: <c>λ = c·‖X‖²_F/n</c>, the reference's <c>get_lambda_l2</c> (its figures sweep c over {0, 0.01, 0.03, 0.1, 0.3, 1}).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The ratio is negative or non-finite.</exception>
    /// <exception cref="ArgumentException">X is empty or has non-finite entries.</exception>
    public static double RidgeFromRatio(Matrix x, double ratio)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckRatio(ratio);
        if (x.Rows == 0 || x.Columns == 0)
            throw new ArgumentException($"The design x is empty ({x.Rows}×{x.Columns}).", nameof(x));
        InputChecks.CheckFinite(x, nameof(x));
        double norm = x.FrobeniusNorm();
        return ratio * norm * norm / x.Rows;
    }

    internal static void CheckRatio(double ratio)
    {
        if (!double.IsFinite(ratio) || ratio < 0)
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, $"The ratio c = λ/scale is {ratio}; it must be finite and ≥ 0.");
    }
}
