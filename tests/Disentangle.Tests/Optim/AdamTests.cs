using Disentangle.Optim;
using Disentangle.Tensors;

namespace Disentangle.Tests.Optim;

public sealed class AdamTests
{
    private static readonly float[] Gradients = [0.5f, -1f, 2f];

    private static double[] Run(AdamOptions options)
    {
        var theta = new Tensor([1f], [1], requiresGrad: true);
        var adam = new Adam([theta], options);
        var trajectory = new double[Gradients.Length];
        for (int t = 0; t < Gradients.Length; t++)
        {
            theta.Grad = [Gradients[t]];
            adam.Step();
            trajectory[t] = theta.Data[0];
        }
        return trajectory;
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 2e-6, $"step {i + 1}: expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void Three_adam_steps_match_the_hand_computed_updates()
    {
        // lr 0.1, β = (0.9, 0.999), ε = 1e-8, θ₀ = 1, g = 0.5, −1, 2.
        // t=1: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25 → θ = 1 − 0.1·0.5/(0.5+ε)
        // t=2: m = 0.045 − 0.1 = −0.055, v = 0.00024975 + 0.001 = 0.00124975, 1−β₁² = 0.19, 1−β₂² = 0.001999
        // t=3: m = −0.0495 + 0.2 = 0.1505, v = 0.00124850025 + 0.004 = 0.00524850025, 1−β₁³ = 0.271, 1−β₂³ = 0.002997001
        double t1 = 1 - 0.1 * 0.5 / (0.5 + 1e-8);
        double t2 = t1 - 0.1 * (-0.055 / 0.19) / (Math.Sqrt(0.00124975 / 0.001999) + 1e-8);
        double t3 = t2 - 0.1 * (0.1505 / 0.271) / (Math.Sqrt(0.00524850025 / 0.002997001) + 1e-8);
        AssertClose([t1, t2, t3], Run(new AdamOptions(LearningRate: 0.1)));
        Assert.Equal(0.9, t1, 1e-7);
        Assert.Equal(0.936610, t2, 1e-5);
    }

    [Fact]
    public void Adam_with_weight_decay_adds_the_l2_gradient_before_the_moments()
    {
        // wd 0.1: g₁ = 0.5 + 0.1·1 = 0.6 → m = 0.06, v = 0.00036, step 0.1·0.6/0.6 → θ₁ = 0.9
        // g₂ = −1 + 0.1·0.9 = −0.91 → m = 0.054 − 0.091 = −0.037, v = 0.00035964 + 0.0008281 = 0.00118774
        double t1 = 1 - 0.1 * 0.6 / (0.6 + 1e-8);
        double t2 = t1 - 0.1 * (-0.037 / 0.19) / (Math.Sqrt(0.00118774 / 0.001999) + 1e-8);
        double g3 = 2 + 0.1 * t2, m3 = 0.9 * -0.037 + 0.1 * g3, v3 = 0.999 * 0.00118774 + 0.001 * g3 * g3;
        double t3 = t2 - 0.1 * (m3 / 0.271) / (Math.Sqrt(v3 / 0.002997001) + 1e-8);
        AssertClose([t1, t2, t3], Run(new AdamOptions(LearningRate: 0.1, WeightDecay: 0.1)));
        Assert.Equal(0.925264, t2, 1e-5);
    }

    [Fact]
    public void Adamw_shrinks_the_parameter_before_an_unchanged_adam_step()
    {
        // wd 0.1, lr 0.1: θ ← 0.99 θ, then the plain Adam update (the moments see the raw gradient).
        double a1 = 0.1 * 0.5 / (0.5 + 1e-8);
        double a2 = 0.1 * (-0.055 / 0.19) / (Math.Sqrt(0.00124975 / 0.001999) + 1e-8);
        double a3 = 0.1 * (0.1505 / 0.271) / (Math.Sqrt(0.00524850025 / 0.002997001) + 1e-8);
        double t1 = 0.99 * 1 - a1, t2 = 0.99 * t1 - a2, t3 = 0.99 * t2 - a3;
        AssertClose([t1, t2, t3], Run(new AdamOptions(LearningRate: 0.1, WeightDecay: 0.1, DecoupledWeightDecay: true)));
        Assert.Equal(0.89, t1, 1e-7);
    }

    [Fact]
    public void A_parameter_without_gradient_is_left_alone_and_keeps_its_step_count()
    {
        var a = new Tensor([1f, 2f], [2], requiresGrad: true);
        var b = new Tensor([3f], [1], requiresGrad: true);
        var adam = new Adam([a, b], new AdamOptions(LearningRate: 0.1));
        a.Grad = [1f, 1f];
        adam.Step();
        Assert.Equal(3f, b.Data[0]);
        var state = adam.ExportState();
        Assert.Equal(1L, state["0.step"].ScalarValue<long>());
        Assert.False(state.ContainsKey("1.step"));
        Assert.Equal(1L, state["step_count"].ScalarValue<long>());

        // b's first update is a first step (bias-corrected, |Δ| = lr) even though the optimizer is at step 2.
        b.Grad = [-4f];
        a.ZeroGrad();
        adam.Step();
        Assert.Equal(3.1, b.Data[0], 1e-6);
        Assert.Equal(2L, adam.StepCount);
    }

    [Fact]
    public void Zero_grad_clears_every_gradient()
    {
        var a = new Tensor([1f], [1], requiresGrad: true);
        var b = new Tensor([1f], [1], requiresGrad: true);
        a.Grad = [1f];
        b.Grad = [2f];
        new Adam([a, b], new AdamOptions()).ZeroGrad();
        Assert.Null(a.Grad);
        Assert.Null(b.Grad);
    }

    [Theory]
    [InlineData(-1e-3, 0.9, 0.999, 1e-8, 0.0)]
    [InlineData(1e-3, 1.0, 0.999, 1e-8, 0.0)]
    [InlineData(1e-3, 0.9, -0.1, 1e-8, 0.0)]
    [InlineData(1e-3, 0.9, 0.999, -1.0, 0.0)]
    [InlineData(1e-3, 0.9, 0.999, 1e-8, -0.5)]
    [InlineData(double.NaN, 0.9, 0.999, 1e-8, 0.0)]
    public void Out_of_range_options_are_rejected(double lr, double beta1, double beta2, double eps, double wd)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([], new AdamOptions(lr, beta1, beta2, eps, wd)));
        Assert.NotNull(e.ParamName);
    }

    [Fact]
    public void The_same_tensor_twice_and_negative_learning_rates_are_rejected()
    {
        var a = new Tensor([1f], [1], requiresGrad: true);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => new Adam([a, a], new AdamOptions())).Message);
        var adam = new Adam([a], new AdamOptions());
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.LearningRate = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.LearningRate = double.PositiveInfinity);
    }

    [Fact]
    public void A_gradient_of_the_wrong_length_is_reported_and_nothing_moves()
    {
        var a = new Tensor([1f], [1], requiresGrad: true) { Grad = [1f] };
        var b = new Tensor([1f, 2f], [2], requiresGrad: true) { Grad = [1f] };
        var adam = new Adam([a, b], new AdamOptions());
        Assert.Contains("Parameter 1", Assert.Throws<InvalidOperationException>(adam.Step).Message);
        Assert.Equal(1f, a.Data[0]);
        Assert.Equal(0L, adam.StepCount);
    }
}
