using Disentangle.Optim;

namespace Disentangle.Tests.Optim;

public sealed class ScheduleTests
{
    [Fact]
    public void Constant_schedule_returns_its_rate_at_every_step()
    {
        var s = new ConstantSchedule(0.3);
        Assert.All(new[] { 0, 1, 1000 }, t => Assert.Equal(0.3, s.Rate(t)));
    }

    [Fact]
    public void Step_schedule_multiplies_by_gamma_every_period()
    {
        var s = new StepSchedule(1.0, period: 3, gamma: 0.5);
        Assert.Equal([1, 1, 1, 0.5, 0.5, 0.5, 0.25], Enumerable.Range(0, 7).Select(s.Rate));
    }

    [Fact]
    public void Metaoptnet_schedule_changes_at_epochs_20_40_and_50()
    {
        var s = MultiStepSchedule.MetaOptNet(0.1);
        Assert.Equal(0.1, s.Rate(0));
        Assert.Equal(0.1, s.Rate(19));
        Assert.Equal(0.1 * 0.06, s.Rate(20));
        Assert.Equal(0.1 * 0.06, s.Rate(39));
        Assert.Equal(0.1 * 0.012, s.Rate(40));
        Assert.Equal(0.1 * 0.0024, s.Rate(50));
        Assert.Equal(0.1 * 0.0024, s.Rate(59));
    }

    [Fact]
    public void Cosine_schedule_warms_up_linearly_then_decays_to_the_minimum()
    {
        var s = new CosineSchedule(1.0, totalSteps: 14, warmupSteps: 4, minRate: 0.1);
        Assert.Equal([0.25, 0.5, 0.75, 1.0], Enumerable.Range(0, 4).Select(s.Rate));
        Assert.Equal(1.0, s.Rate(4), 1e-12);
        Assert.Equal(0.1 + 0.9 * 0.5, s.Rate(9), 1e-12);                                      // halfway: cos(π/2) = 0
        Assert.Equal(0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * 0.8)), s.Rate(12), 1e-12);
        Assert.Equal(0.1, s.Rate(14));
        Assert.Equal(0.1, s.Rate(1000));
        var rates = Enumerable.Range(4, 11).Select(s.Rate).ToArray();
        Assert.True(rates.Zip(rates.Skip(1)).All(p => p.Second < p.First), "decay is strictly decreasing");
        Assert.Equal(1.0, new CosineSchedule(1.0, 10).Rate(0));
    }

    [Fact]
    public void Bad_schedule_arguments_are_rejected_with_their_names()
    {
        Assert.Equal("period", Assert.Throws<ArgumentOutOfRangeException>(() => new StepSchedule(1, 0, 0.5)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepSchedule(1, 1, -0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantSchedule(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantSchedule(1).Rate(-1));
        Assert.Contains("step 0", Assert.Throws<ArgumentException>(() => new MultiStepSchedule(1, [5], [1])).Message);
        Assert.Throws<ArgumentException>(() => new MultiStepSchedule(1, [0, 10, 10], [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => new MultiStepSchedule(1, [0, 10], [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiStepSchedule(1, [0, 10], [1, -1]));
        Assert.Equal("totalSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(1, 5, 5)).ParamName);
        Assert.Equal("minRate", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(1, 5, 0, 2)).ParamName);
    }
}
