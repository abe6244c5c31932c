using Disentangle.Optim;
using Disentangle.Tensors;

namespace Disentangle.Tests.Optim;

public sealed class SgdTests
{
    private static double[] Run(SgdOptions options)
    {
        var theta = new Tensor([1f], [1], requiresGrad: true);
        var sgd = new Sgd([theta], options);
        var trajectory = new List<double>();
        foreach (float g in new[] { 0.5f, -1f, 2f })
        {
            theta.Grad = [g];
            sgd.Step();
            trajectory.Add(theta.Data[0]);
        }
        return [.. trajectory];
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-6, $"step {i + 1}: expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void Plain_sgd_steps_against_the_gradient()
    {
        AssertClose([0.95, 1.05, 0.85], Run(new SgdOptions(LearningRate: 0.1)));
    }

    [Fact]
    public void Momentum_starts_its_buffer_at_the_first_gradient()
    {
        // μ 0.9, lr 0.1: b = 0.5 → θ 0.95; b = 0.45 − 1 = −0.55 → θ 1.005; b = −0.495 + 2 = 1.505 → θ 0.8545
        AssertClose([0.95, 1.005, 0.8545], Run(new SgdOptions(LearningRate: 0.1, Momentum: 0.9)));
    }

    [Fact]
    public void Nesterov_steps_along_the_gradient_plus_the_momentum_lookahead()
    {
        // d = g + μb: 0.5 + 0.45 = 0.95 → θ 0.905; −1 − 0.495 = −1.495 → 1.0545; 2 + 1.3545 = 3.3545 → 0.71905
        AssertClose([0.905, 1.0545, 0.71905], Run(new SgdOptions(LearningRate: 0.1, Momentum: 0.9, Nesterov: true)));
    }

    [Fact]
    public void Weight_decay_and_dampening_follow_pytorch()
    {
        // wd 0.1, μ 0.9, τ 0.5: g' = 0.6, b = 0.6 (no dampening on the first step) → θ 0.94;
        // g' = −1 + 0.094 = −0.906, b = 0.54 − 0.453 = 0.087 → θ 0.9313;
        // g' = 2 + 0.09313 = 2.09313, b = 0.0783 + 1.046565 = 1.124865 → θ 0.8188135
        AssertClose([0.94, 0.9313, 0.8188135], Run(new SgdOptions(LearningRate: 0.1, Momentum: 0.9, WeightDecay: 0.1, Dampening: 0.5)));
    }

    [Fact]
    public void Without_momentum_there_is_no_state_to_export()
    {
        var theta = new Tensor([1f], [1], requiresGrad: true) { Grad = [1f] };
        var sgd = new Sgd([theta], new SgdOptions(0.1));
        sgd.Step();
        Assert.Equal(["learning_rate", "step_count"], sgd.ExportState().Keys.Order());
    }

    [Fact]
    public void Nesterov_without_momentum_or_with_dampening_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new Sgd([], new SgdOptions(0.1, Nesterov: true)));
        Assert.Contains("0.2", Assert.Throws<ArgumentException>(() => new Sgd([], new SgdOptions(0.1, 0.9, true, 0, 0.2))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([], new SgdOptions(0.1, Momentum: 1.0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([], new SgdOptions(-0.1)));
    }
}
