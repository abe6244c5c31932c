using Disentangle.Metrics;
using Disentangle.Tensors;

namespace Disentangle.Tests.Metrics;

public sealed class MccTests
{
    internal static Matrix Gaussian(int n, int d, int seed) => Matrix.RandomNormal(n, d, new Random(seed));

    /// <summary>Ẑ with column Assignment[i] = scale_i · sign_i · z_i and extra noise columns elsewhere.</summary>
    private static Matrix PermutedScaledCopy(Matrix z, int m, int[] target, Random random)
    {
        var zhat = Matrix.RandomNormal(z.Rows, m, random);
        for (int i = 0; i < z.Columns; i++)
        {
            double scale = (random.Next(2) == 0 ? -1 : 1) * (0.1 + 10 * random.NextDouble());
            for (int r = 0; r < z.Rows; r++) zhat[r, target[i]] = scale * z[r, i] + 3.0;
        }
        return zhat;
    }

    [Theory]
    [InlineData(CorrelationKind.Pearson, 5)]
    [InlineData(CorrelationKind.Spearman, 5)]
    [InlineData(CorrelationKind.Pearson, 9)]
    [InlineData(CorrelationKind.Spearman, 9)]
    public void Mcc_of_a_permuted_sign_flipped_rescaled_copy_is_one(CorrelationKind kind, int m)
    {
        var random = new Random(11);
        var z = Gaussian(500, 5, 12);
        int[] target = m == 5 ? [3, 0, 4, 1, 2] : [7, 2, 0, 5, 8];
        var result = Mcc.Compute(z, PermutedScaledCopy(z, m, target, random), kind);
        Assert.Equal(1.0, result.Mcc, 1e-12);
        Assert.Equal(target, result.Assignment);
        Assert.All(result.PerFactor, r => Assert.Equal(1.0, r, 1e-12));
        Assert.Equal(5, result.Correlations.Rows);
        Assert.Equal(m, result.Correlations.Columns);
        Assert.Equal(kind, result.Kind);
    }

    [Fact]
    public void Correlations_keep_their_sign_and_match_the_definition()
    {
        var z = Gaussian(300, 2, 3);
        var zhat = new Matrix(300, 2);
        for (int r = 0; r < 300; r++) { zhat[r, 0] = -2 * z[r, 1]; zhat[r, 1] = z[r, 0] + z[r, 1]; }
        var result = Mcc.Compute(z, zhat);
        Assert.Equal(-1.0, result.Correlations[1, 0], 1e-12);
        Assert.Equal(NaivePearson(z.Column(0), zhat.Column(1)), result.Correlations[0, 1], 1e-12);
        Assert.Equal([1, 0], result.Assignment);
    }

    [Fact]
    public void Spearman_sees_a_monotone_nonlinear_copy_as_perfect_while_Pearson_does_not()
    {
        var z = Gaussian(400, 3, 5);
        var zhat = new Matrix(400, 3);
        for (int r = 0; r < 400; r++)
        {
            zhat[r, 0] = Math.Exp(2 * z[r, 2]);
            zhat[r, 1] = Math.Pow(z[r, 0], 3);
            zhat[r, 2] = -Math.Exp(z[r, 1]);
        }
        Assert.Equal(1.0, Mcc.Compute(z, zhat, CorrelationKind.Spearman).Mcc, 1e-12);
        Assert.True(Mcc.Compute(z, zhat, CorrelationKind.Pearson).Mcc < 0.9);
    }

    [Fact]
    public void Mcc_of_one_independent_noise_column_matches_the_expected_absolute_correlation()
    {
        // For independent Gaussians E|r| = Γ((n−1)/2) / (√π Γ(n/2)) exactly.
        const int n = 1000, repeats = 400;
        double ratio = Math.Sqrt(Math.PI);                      // Γ((k−1)/2)/Γ(k/2) at k = 2, then ×(k−1)/k per step of 2
        for (int k = 2; k < n; k += 2) ratio *= (k - 1.0) / k;
        double expected = ratio / Math.Sqrt(Math.PI);
        var random = new Random(2024);
        var values = Enumerable.Range(0, repeats)
            .Select(_ => Mcc.Compute(Matrix.RandomNormal(n, 1, random), Matrix.RandomNormal(n, 1, random)).Mcc).ToArray();
        double mean = values.Average();
        double standardError = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Sum() / (repeats - 1) / repeats);
        Assert.InRange(mean, expected - 4 * standardError, expected + 4 * standardError);
        Assert.InRange(expected, 0.0245, 0.0255);                // ≈ √(2/(πn))
    }

    [Fact]
    public void Mcc_of_independent_noise_in_several_dimensions_matches_its_large_n_limit()
    {
        // Correlations of independent columns are ≈ N(0, 1/n): E[MCC] ≈ E[best matching of |G|] / √n, G a d×m Gaussian matrix.
        const int n = 4000, d = 4, m = 6, repeats = 60;
        var random = new Random(99);
        double limit = Enumerable.Range(0, 4000).Select(_ =>
        {
            var g = Matrix.RandomNormal(d, m, random);
            for (int k = 0; k < g.Data.Length; k++) g.Data[k] = Math.Abs(g.Data[k]);
            return LinearAssignment.Maximize(g).Total / d;
        }).Average() / Math.Sqrt(n);
        var values = Enumerable.Range(0, repeats)
            .Select(_ => Mcc.Compute(Matrix.RandomNormal(n, d, random), Matrix.RandomNormal(n, m, random)).Mcc).ToArray();
        double mean = values.Average();
        double standardError = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Sum() / (repeats - 1) / repeats);
        Assert.InRange(mean, limit - 4 * standardError, limit + 4 * standardError);
        Assert.True(mean < 0.05, $"noise MCC {mean} should be small");
    }

    [Fact]
    public void Used_feature_mcc_reads_only_the_most_used_features_and_reports_original_indices()
    {
        var z = Gaussian(200, 2, 8);
        var zhat = new Matrix(200, 5);
        for (int r = 0; r < 200; r++)
        {
            zhat[r, 0] = 4;                                   // dead feature: constant, never used
            zhat[r, 1] = z[r, 0] + 0.3 * z[r, 1];            // entangled, rarely used
            zhat[r, 2] = z[r, 1];
            zhat[r, 3] = 7;                                   // dead
            zhat[r, 4] = -z[r, 0];
        }
        var result = Mcc.ComputeOnUsedFeatures(z, zhat, [0, 1, 6, 0, 6]);
        Assert.Equal(1.0, result.Mcc, 1e-12);
        Assert.Equal([4, 2], result.Assignment);
        Assert.Equal([2, 4], result.Columns);
        Assert.Throws<ArgumentException>(() => Mcc.Compute(z, zhat));
    }

    [Fact]
    public void Feature_usage_counts_tasks_with_a_non_zero_coefficient_row()
    {
        var w1 = Matrix.FromRows([[0, 0], [1, 0], [0, -2]]);
        var w2 = Matrix.FromRows([[0, 0], [0, 0], [0.5, 0]]);
        var w3 = Matrix.FromRows([[1e-9, 0], [3, 3], [0, 1]]);
        Assert.Equal([1, 2, 3], FeatureUsage.Count([w1, w2, w3]));
        Assert.Equal([0, 2, 3], FeatureUsage.Count([w1, w2, w3], threshold: 1e-6));
        Assert.Equal([2, 1], FeatureUsage.MostUsed([1, 2, 3], 2));
        Assert.Equal([1, 2, 0], FeatureUsage.MostUsed([4, 5, 5], 3));
        Assert.Throws<ArgumentException>(() => FeatureUsage.Count([w1, new Matrix(2, 2)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => FeatureUsage.MostUsed([1, 2], 3));
    }

    [Fact]
    public void Average_ranks_share_ties()
    {
        Assert.Equal([3.5, 1, 3.5, 2, 5], Ranking.AverageRanks([3, 1, 3, 2, 9]));
        Assert.Equal([2, 2, 2], Ranking.AverageRanks([0.5, 0.5, 0.5]));
    }

    [Fact]
    public void Nan_is_rejected_with_its_position()
    {
        var z = Gaussian(10, 2, 1);
        var zhat = Gaussian(10, 3, 2);
        zhat[4, 2] = double.NaN;
        var error = Assert.Throws<ArgumentException>(() => Mcc.Compute(z, zhat));
        Assert.Contains("learnedLatents[4, 2] is NaN", error.Message);
        z[0, 1] = double.PositiveInfinity;
        Assert.Contains("trueLatents[0, 1]", Assert.Throws<ArgumentException>(() => Mcc.Compute(z, Gaussian(10, 3, 2))).Message);
    }

    [Theory]
    [InlineData(CorrelationKind.Pearson)]
    [InlineData(CorrelationKind.Spearman)]
    public void Constant_column_is_rejected_and_named(CorrelationKind kind)
    {
        var z = Gaussian(50, 2, 1);
        var zhat = Gaussian(50, 3, 2);
        for (int r = 0; r < 50; r++) zhat[r, 1] = 0.1;
        var error = Assert.Throws<ArgumentException>(() => Mcc.Compute(z, zhat, kind));
        Assert.Contains("learnedLatents column 1 is constant", error.Message);
        Assert.Equal("learnedLatents", error.ParamName);
    }

    [Fact]
    public void Too_few_samples_mismatched_rows_and_too_few_features_are_rejected()
    {
        Assert.Contains("at least 2", Assert.Throws<ArgumentException>(() => Mcc.Compute(Gaussian(1, 2, 1), Gaussian(1, 2, 2))).Message);
        Assert.Contains("rows", Assert.Throws<ArgumentException>(() => Mcc.Compute(Gaussian(10, 2, 1), Gaussian(11, 2, 2))).Message);
        Assert.Contains("at least as many", Assert.Throws<ArgumentException>(() => Mcc.Compute(Gaussian(10, 3, 1), Gaussian(10, 2, 2))).Message);
        Assert.Throws<ArgumentException>(() => Mcc.ComputeOnFeatures(Gaussian(10, 2, 1), Gaussian(10, 4, 2), [1, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Mcc.ComputeOnFeatures(Gaussian(10, 2, 1), Gaussian(10, 4, 2), [1, 4]));
    }

    internal static double NaivePearson(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb); }
        return sab / Math.Sqrt(saa * sbb);
    }
}

public sealed class CorrelationNumericsTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(50.0)]      // centred implicitly (|μ| ≤ 100 σ)
    [InlineData(1e8)]       // centred explicitly
    public void Correlations_do_not_depend_on_column_offsets(double offset)
    {
        var random = new Random(17);
        var a = Matrix.RandomNormal(500, 3, random);
        var b = Matrix.RandomNormal(500, 4, random);
        for (int r = 0; r < 500; r++) b[r, 2] += 0.7 * a[r, 1];
        var reference = Correlation.Compute(a, b);
        var shifted = b.Clone();
        for (int r = 0; r < 500; r++)
            for (int j = 0; j < 4; j++) shifted[r, j] += offset * (j + 1);
        var result = Correlation.Compute(a, shifted);
        // the shifted data itself is rounded to ulp(offset): compare with the unshifted result only to that accuracy
        for (int k = 0; k < reference.Data.Length; k++) Assert.Equal(reference.Data[k], result.Data[k], 1e-7);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++) Assert.Equal(MccTests.NaivePearson(a.Column(i), shifted.Column(j)), result[i, j], 1e-9);
    }

    [Fact]
    public void Overflowing_values_are_reported()
    {
        var a = Matrix.RandomNormal(10, 2, new Random(1));
        a[3, 1] = 1e200;
        Assert.Contains("too large", Assert.Throws<ArgumentException>(() => Correlation.Compute(a, Matrix.RandomNormal(10, 2, new Random(2)))).Message);
    }
}
