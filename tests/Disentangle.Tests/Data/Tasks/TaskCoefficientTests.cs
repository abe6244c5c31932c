using Disentangle.Data;
using Disentangle.Data.Tasks;

namespace Disentangle.Tests.Data.Tasks;

public sealed class TaskCoefficientTests
{
    private static int[] Support(ITaskCoefficientSampler sampler, Random random, int m = 6, int k = 1)
    {
        var w = new double[m * k];
        sampler.Sample(random, m, k, w);
        return SupportVariability.Support(w, m, k);
    }

    [Fact]
    public void Binomial_gauss_supports_are_never_empty_and_include_each_feature_at_the_conditional_rate()
    {
        var sampler = new BinomialGauss(0.3);
        var random = new Random(2);
        var counts = new int[6];
        const int n = 40_000;
        for (int t = 0; t < n; t++)
        {
            var s = Support(sampler, random);
            Assert.NotEmpty(s);
            foreach (int j in s) counts[j]++;
        }
        double expected = 0.3 / (1 - Math.Pow(0.7, 6));   // P(j ∈ S | S ≠ ∅)
        Assert.All(counts, c => Assert.Equal(expected, (double)c / n, 0.01));
    }

    [Fact]
    public void Fixed_size_and_block_supports_have_the_requested_shape()
    {
        var random = new Random(4);
        for (int t = 0; t < 300; t++)
        {
            Assert.Equal(2, Support(new FixedSizeSupport(2), random).Length);
            var block = Support(new BlockSupport(3), random);
            Assert.True(block.SequenceEqual([0, 1, 2]) || block.SequenceEqual([3, 4, 5]), string.Join(",", block));
        }
    }

    [Fact]
    public void Several_outputs_share_the_support_rows()
    {
        var w = new double[6 * 3];
        var random = new Random(6);
        for (int t = 0; t < 100; t++)
        {
            new BinomialGauss().Sample(random, 6, 3, w);
            for (int j = 0; j < 6; j++)
            {
                int zeros = Enumerable.Range(0, 3).Count(c => w[j * 3 + c] == 0);
                Assert.True(zeros is 0 or 3, $"row {j} has {zeros} zeros");
            }
        }
    }

    [Fact]
    public void Dense_samplers_have_no_zeros_and_the_right_scale()
    {
        var random = new Random(8);
        var w = new double[6];
        double laplaceAbs = 0, gaussSquares = 0;
        const int n = 20_000;
        for (int t = 0; t < n; t++)
        {
            new LaplaceCoefficients().Sample(random, 6, 1, w);
            Assert.DoesNotContain(0.0, w);
            laplaceAbs += w.Sum(Math.Abs);
            new GaussCoefficients().Sample(random, 6, 1, w);
            gaussSquares += w.Sum(v => v * v);
        }
        Assert.Equal(1.0, laplaceAbs / (6 * n), 0.03);     // E|Laplace(0, 1)| = 1
        Assert.Equal(1.0, gaussSquares / (6 * n), 0.03);
    }

    [Fact]
    public void Finite_intra_support_takes_finitely_many_values_on_a_support()
    {
        var sampler = new FiniteIntraSupport(3);
        var random = new Random(10);
        var w = new double[6];
        var seen = new HashSet<double>();
        for (int t = 0; t < 2000; t++)
        {
            sampler.Sample(random, 6, 1, w);
            Assert.Contains(w, v => v != 0);
            if (w[0] != 0) seen.Add(w[0]);
        }
        Assert.Equal(3, seen.Count);
    }

    [Fact]
    public void Reference_names_parse_to_the_matching_sampler()
    {
        Assert.Equal(0.5, Assert.IsType<BinomialGauss>(TaskCoefficientSamplers.Parse("binomial_gauss")).P);
        Assert.Equal(0.25, Assert.IsType<BinomialGauss>(TaskCoefficientSamplers.Parse("binomial_gauss_0.25")).P);
        Assert.Equal(4, Assert.IsType<FixedSizeSupport>(TaskCoefficientSamplers.Parse("fix_size_support_4")).Size);
        Assert.Equal(2, Assert.IsType<BlockSupport>(TaskCoefficientSamplers.Parse("block_support_2")).BlockSize);
        Assert.IsType<LaplaceCoefficients>(TaskCoefficientSamplers.Parse("laplace"));
        Assert.IsType<GaussCoefficients>(TaskCoefficientSamplers.Parse("gauss"));
        Assert.Equal(5, Assert.IsType<FiniteIntraSupport>(TaskCoefficientSamplers.Parse("finite_intra_support_5")).Values);
        foreach (var name in new[] { "binomial_gauss", "binomial_gauss_0.25", "block_support_6", "laplace", "finite_intra_support_5" })
            Assert.Equal(name, TaskCoefficientSamplers.Parse(name).Name);
    }

    [Fact]
    public void Bad_names_and_parameters_are_rejected_listing_the_valid_choices()
    {
        var e = Assert.Throws<ArgumentException>(() => TaskCoefficientSamplers.Parse("bernoulli"));
        Assert.Contains("binomial_gauss", e.Message);
        Assert.Contains("finite_intra_support_n", e.Message);
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => TaskCoefficientSamplers.Parse("binomial_gauss_1.5"));
        Assert.Contains("(0, 1]", range.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BinomialGauss(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TaskCoefficientSamplers.Parse("block_support_2.5"));
        Assert.Throws<ArgumentException>(() => new BlockSupport(4).Sample(new Random(1), 6, 1, new double[6]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedSizeSupport(7).Sample(new Random(1), 6, 1, new double[6]));
        Assert.Throws<ArgumentException>(() => new GaussCoefficients().Sample(new Random(1), 6, 2, new double[6]));
    }
}
