using Disentangle.Metrics;
using Disentangle.Tensors;

namespace Disentangle.Tests.Metrics;

public sealed class MultipleCorrelationTests
{
    [Theory]
    [InlineData(4, 4)]
    [InlineData(4, 10)]
    public void R_of_an_invertible_linear_mix_is_one_while_its_mcc_is_below_one(int d, int m)
    {
        var random = new Random(21);
        var z = Matrix.RandomNormal(800, d, random);
        var mix = Matrix.RandomNormal(d, m, random);                 // full row rank: z is a linear function of ẑ
        var zhat = Matrix.Multiply(z, mix);
        var r = MultipleCorrelation.Compute(z, zhat);
        Assert.Equal(1.0, r.R, 1e-9);
        Assert.All(r.PerFactor, v => Assert.Equal(1.0, v, 1e-9));
        Assert.Equal(d, r.CodeRank);                                   // with m > d the codes span only d dimensions
        Assert.True(Mcc.Compute(z, zhat).Mcc < 0.95);
    }

    [Fact]
    public void R_squared_equals_a_direct_least_squares_fit_with_intercept()
    {
        var random = new Random(4);
        int n = 300, d = 3, m = 5;
        var z = Matrix.RandomNormal(n, d, random);
        var zhat = Matrix.RandomNormal(n, m, random);
        for (int r = 0; r < n; r++) { zhat[r, 0] += 0.5 * z[r, 0] + 10; zhat[r, 3] -= 2 * z[r, 2]; zhat[r, 4] *= 100; }
        var design = new Matrix(n, m + 1);                             // raw data plus an intercept column
        for (int r = 0; r < n; r++) { zhat.Row(r).CopyTo(design.Row(r)); design[r, m] = 1; }
        var (beta, _) = LinearAlgebra.LeastSquares(design, z);
        var fitted = Matrix.Multiply(design, beta);
        var result = MultipleCorrelation.Compute(z, zhat);
        for (int j = 0; j < d; j++)
        {
            var y = z.Column(j);
            double mean = y.Average(), residual = 0, total = 0;
            for (int r = 0; r < n; r++) { residual += Math.Pow(y[r] - fitted[r, j], 2); total += Math.Pow(y[r] - mean, 2); }
            Assert.Equal(1 - residual / total, result.RSquared[j], 1e-10);
            Assert.Equal(Math.Sqrt(1 - residual / total), result.PerFactor[j], 1e-10);
        }
        Assert.Equal(result.PerFactor.Average(), result.R, 1e-14);
    }

    [Fact]
    public void R_squared_of_independent_noise_averages_m_over_n_minus_one()
    {
        // Under independence R² ~ Beta(m/2, (n−m−1)/2), whose mean is m/(n−1).
        const int n = 200, m = 8, repeats = 300;
        var random = new Random(31);
        var values = Enumerable.Range(0, repeats)
            .Select(_ => MultipleCorrelation.Compute(Matrix.RandomNormal(n, 1, random), Matrix.RandomNormal(n, m, random)).RSquared[0])
            .ToArray();
        double mean = values.Average();
        double standardError = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Sum() / (repeats - 1) / repeats);
        Assert.InRange(m / (n - 1.0), mean - 4 * standardError, mean + 4 * standardError);
    }

    [Fact]
    public void Collinear_codes_use_the_minimum_norm_fit_and_report_their_rank()
    {
        var random = new Random(8);
        var z = Matrix.RandomNormal(400, 2, random);
        var zhat = new Matrix(400, 3);
        for (int r = 0; r < 400; r++) { zhat[r, 0] = z[r, 0]; zhat[r, 1] = 2 * z[r, 0]; zhat[r, 2] = z[r, 1] + 0.5 * z[r, 0]; }
        var r2 = MultipleCorrelation.Compute(z, zhat);
        Assert.Equal(2, r2.CodeRank);
        Assert.Equal(1.0, r2.R, 1e-9);
        var dci = Dci.Compute(z, zhat);
        Assert.Equal(dci.Importance[0, 0], dci.Importance[1, 0], 1e-9);   // the duplicated code shares its weight evenly
    }

    [Fact]
    public void Constant_true_factor_is_rejected_and_named()
    {
        var z = Matrix.RandomNormal(20, 3, new Random(1));
        for (int r = 0; r < 20; r++) z[r, 2] = -1.5;
        var error = Assert.Throws<ArgumentException>(() => MultipleCorrelation.Compute(z, Matrix.RandomNormal(20, 3, new Random(2))));
        Assert.Contains("trueLatents column 2 is constant", error.Message);
        Assert.Throws<ArgumentException>(() => MultipleCorrelation.Compute(Matrix.RandomNormal(5, 1, new Random(1)), Matrix.RandomNormal(6, 1, new Random(2))));
    }
}
