using Disentangle.Solvers;
using Disentangle.Tensors;

namespace Disentangle.Tests.Solvers;

/// <summary>Seeded synthetic regression problems and hand-written reference formulas for the solver tests.</summary>
internal static class SolverTestData
{
    /// <summary>X ~ N(0, 1) (n, m); Y = X W_true + 0.1·noise with W_true supported on the first <paramref name="active"/> rows.</summary>
    public static (Matrix X, Matrix Y) Regression(int n, int m, int k, int seed, int active = 3)
    {
        var random = new Random(seed);
        var x = Matrix.RandomNormal(n, m, random);
        var wTrue = new Matrix(m, k);
        for (int j = 0; j < Math.Min(active, m); j++)
            for (int c = 0; c < k; c++) wTrue[j, c] = random.NextGaussian() + Math.Sign(random.NextGaussian());
        var y = Matrix.Multiply(x, wTrue);
        for (int i = 0; i < y.Data.Length; i++) y.Data[i] += 0.1 * random.NextGaussian();
        return (x, y);
    }

    /// <summary>A random cotangent of shape (m, k).</summary>
    public static Matrix Cotangent(int m, int k, int seed) => Matrix.RandomNormal(m, k, new Random(seed));

    /// <summary>Primal <c>‖Y − XW‖²/(2n) + λΣψ(W_j)</c>, written out by hand.</summary>
    public static double Primal(IPenalty penalty, Matrix x, Matrix y, Matrix w, double lambda)
    {
        var r = Residual(x, y, w);
        double loss = r.Data.Sum(v => v * v) / (2.0 * x.Rows);
        double pen = 0;
        for (int j = 0; j < w.Rows; j++) pen += penalty.Value(w.Row(j).ToArray());
        return loss + lambda * pen;
    }

    /// <summary>Dual <c>‖Y‖²/(2n) − (nλ²/2)‖Θ − Y/(nλ)‖²</c> at <c>Θ = R / max(nλ, max_j ψ*(X_jᵀR))</c>, written out by hand.</summary>
    public static double Dual(INormPenalty penalty, Matrix x, Matrix y, Matrix w, double lambda)
    {
        int n = x.Rows;
        var r = Residual(x, y, w);
        var xtr = Matrix.Multiply(x, r, transposeA: true);
        double scale = n * lambda;
        for (int j = 0; j < xtr.Rows; j++) scale = Math.Max(scale, penalty.DualNorm(xtr.Row(j).ToArray()));
        double dist = 0;
        for (int i = 0; i < r.Data.Length; i++)
        {
            double d = r.Data[i] / scale - y.Data[i] / (n * lambda);
            dist += d * d;
        }
        return y.Data.Sum(v => v * v) / (2.0 * n) - n * lambda * lambda / 2 * dist;
    }

    public static Matrix Residual(Matrix x, Matrix y, Matrix w)
    {
        var xw = Matrix.Multiply(x, w);
        var r = new Matrix(y.Rows, y.Columns);
        for (int i = 0; i < r.Data.Length; i++) r.Data[i] = y.Data[i] - xw.Data[i];
        return r;
    }

    public static double MaxAbsDifference(Matrix a, Matrix b)
    {
        Assert.Equal(a.Rows, b.Rows);
        Assert.Equal(a.Columns, b.Columns);
        double d = 0;
        for (int i = 0; i < a.Data.Length; i++) d = Math.Max(d, Math.Abs(a.Data[i] - b.Data[i]));
        return d;
    }

    /// <summary>Options for plain cyclic CD (no working sets, screening or extrapolation).</summary>
    public static CdOptions Plain(double tolerance = 1e-10, int maxEpochs = 100_000)
        => new(Tolerance: tolerance, MaxEpochs: maxEpochs, WorkingSets: false, Screening: false, AndersonMemory: 0);
}
