using Disentangle.Data;
using Disentangle.Data.Tasks;

namespace Disentangle.Tests.Data.Tasks;

public sealed class SupportVariabilityTests
{
    [Fact]
    public void Supports_whose_intersections_isolate_every_feature_pass()
    {
        var report = SupportVariability.Check([[0, 1], [1, 2], [0, 2]], 3);
        Assert.True(report.Holds);
        Assert.Empty(report.FailingFeatures);
        Assert.Equal([1], report.Intersections[1]);
        Assert.Equal(3, report.DistinctSupports);
    }

    [Fact]
    public void A_feature_always_used_with_another_fails_and_is_named()
    {
        var report = SupportVariability.Check([[0, 1], [0, 1, 2], [2]], 3);
        Assert.False(report.Holds);
        Assert.Equal([0, 1], report.FailingFeatures);
        Assert.Equal([0, 1], report.Intersections[0]);
        var unused = SupportVariability.Check([[0]], 2);
        Assert.Equal([1], unused.FailingFeatures);           // no support contains feature 1
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(6)]
    public void Block_supports_violate_the_assumption_for_every_feature(int blockSize)
    {
        var report = SupportVariability.Check(new BlockSupport(blockSize), 6, 1, 500, new Random(1));
        Assert.False(report.Holds);
        Assert.Equal(Enumerable.Range(0, 6), report.FailingFeatures);
        Assert.Equal(6 / blockSize, report.DistinctSupports);
    }

    [Fact]
    public void Bernoulli_half_supports_on_six_factors_pass()
    {
        for (int seed = 0; seed < 5; seed++)
        {
            var report = SupportVariability.Check(new BinomialGauss(0.5), 6, 1, 2000, new Random(seed));
            Assert.True(report.Holds, $"seed {seed}: failing {string.Join(",", report.FailingFeatures)}");
            Assert.Equal(63, report.DistinctSupports);
        }
        Assert.True(SupportVariability.Check(new FixedSizeSupport(1), 6, 1, 500, new Random(1)).Holds);
        Assert.False(SupportVariability.Check(new LaplaceCoefficients(), 6, 1, 500, new Random(1)).Holds);
    }

    [Fact]
    public void More_than_sixty_four_features_are_handled()
    {
        var supports = Enumerable.Range(0, 100).Select(j => (IReadOnlyCollection<int>)new[] { j }).ToList();
        Assert.True(SupportVariability.Check(supports, 100).Holds);
        supports.Add([98, 99]);
        supports[99] = [98, 99];
        Assert.Equal([99], SupportVariability.Check(supports, 100).FailingFeatures);
        Assert.Throws<ArgumentOutOfRangeException>(() => SupportVariability.Check([[100]], 100));
    }

    [Theory]
    [InlineData("binomial_gauss", true, "")]
    [InlineData("block_support_2", false, "0, 1, 2, 3, 4, 5")]
    [InlineData("block_support_3", false, "0, 1, 2, 3, 4, 5")]
    [InlineData("block_support_6", false, "0, 1, 2, 3, 4, 5")]
    [InlineData("laplace", false, "0, 1, 2, 3, 4, 5")]
    public void Train_task_samplers_are_checked_and_failing_features_named(string coefficients, bool holds, string failing)
    {
        var report = SupportVariability.CheckTaskSampler(coefficients, 1);
        Assert.Equal(holds, report.Holds);
        Assert.Equal(failing, string.Join(", ", report.FailingFeatures));
        string line = report.Describe(coefficients);
        Assert.Contains(holds ? "holds" : "does NOT hold", line);
        if (coefficients == "block_support_2") Assert.Contains("⋂ of the supports with 0 = {0, 1}", line);
    }
}
