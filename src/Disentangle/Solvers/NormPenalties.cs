using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>Helpers shared by the norm penalties.</summary>
internal static class NormPenalties
{
    /// <summary><c>λ_max = max_j ψ*(X_jᵀY) / n</c>: at <c>W = 0</c> the optimality condition is <c>ψ*(X_jᵀY)/n ≤ λ</c>.</summary>
    public static double LambdaMax(INormPenalty penalty, Matrix x, Matrix y)
    {
        InputChecks.CheckDesign(x, y);
        var xty = Matrix.Multiply(x, y, transposeA: true);
        double max = 0;
        for (int j = 0; j < xty.Rows; j++) max = Math.Max(max, penalty.DualNorm(xty.Row(j)));
        return max / x.Rows;
    }

    /// <summary>The row j* attaining λ_max, and <c>∂λ_max/∂X</c>, <c>∂λ_max/∂Y</c> scaled by <paramref name="cotangent"/>,
    /// added into <paramref name="dx"/> (n, m) and <paramref name="dy"/> (n, k).</summary>
    public static void AddLambdaMaxVjp(INormPenalty penalty, Matrix x, Matrix y, double cotangent, Matrix dx, Matrix dy)
    {
        var xty = Matrix.Multiply(x, y, transposeA: true);
        int best = 0;
        double max = -1;
        for (int j = 0; j < xty.Rows; j++)
        {
            double v = penalty.DualNorm(xty.Row(j));
            if (v > max) { max = v; best = j; }
        }
        int n = x.Rows, k = y.Columns;
        var direction = new double[k];                                  // ∂ψ*(v)/∂v at v = X_{j*}ᵀY
        penalty.DualNormGradient(xty.Row(best), direction);
        double scale = cotangent / n;
        for (int i = 0; i < n; i++)
        {
            var yi = y.Row(i);
            double xij = x[i, best], dot = 0;
            for (int c = 0; c < k; c++)
            {
                dot += yi[c] * direction[c];                            // ∂/∂X_{i j*} = (Y d)_i / n
                dy[i, c] += scale * xij * direction[c];                 // ∂/∂Y_{ic} = X_{i j*} d_c / n
            }
            dx[i, best] += scale * dot;
        }
    }
}
