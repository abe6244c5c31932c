using Disentangle.Nn;
using Disentangle.Tensors;

namespace Disentangle.Tests.Nn;

public sealed class HaikuInitTests
{
    private static (double Mean, double Std, double MaxAbs) Moments(Tensor t)
    {
        double mean = t.Data.Average(v => (double)v);
        double std = Math.Sqrt(t.Data.Average(v => (v - mean) * (v - mean)));
        return (mean, std, t.Data.Max(v => Math.Abs((double)v)));
    }

    [Fact]
    public void The_truncated_normal_has_the_documented_standard_deviation_and_support()
    {
        var t = Tensor.Zeros([200_000]);
        HaikuInit.TruncatedNormal(t, 1.0, new Random(1));
        var (mean, std, max) = Moments(t);
        Assert.Equal(0, mean, 0.01);
        Assert.Equal(HaikuInit.TruncatedStd, std, 0.01);
        Assert.True(max <= 2.0);
    }

    [Fact]
    public void The_conv_encoder_gets_haiku_defaults_conv_std_one_over_root_fan_in_linear_uncorrected_and_zero_biases()
    {
        var encoder = new ConvEncoder(6, new Random(0));
        HaikuInit.Apply(encoder, new Random(1));
        var layers = encoder.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        // conv2: 32·4·4 = 512 inputs per output, 16,384 weights: VarianceScaling corrects the truncation, std = 1/√512.
        var (_, convStd, convMax) = Moments(layers["conv2.weight"]);
        Assert.Equal(1 / Math.Sqrt(512), convStd, 0.02 / Math.Sqrt(512));
        Assert.True(convMax <= 2 / Math.Sqrt(512) / HaikuInit.TruncatedStd + 1e-6);
        // fc1: 1024 inputs, hk.Linear's TruncatedNormal(1/√1024) is not corrected: std = 0.8796/√1024.
        var (_, fcStd, fcMax) = Moments(layers["fc1.weight"]);
        Assert.Equal(HaikuInit.TruncatedStd / Math.Sqrt(1024), fcStd, 0.01 / Math.Sqrt(1024));
        Assert.True(fcMax <= 2 / Math.Sqrt(1024) + 1e-6);
        Assert.All(layers.Where(p => p.Key.EndsWith("bias", StringComparison.Ordinal)), p => Assert.All(p.Value.Data, v => Assert.Equal(0f, v)));
        // PyTorch's Kaiming-uniform (bound 1/√fan-in) has std 1/√(3·fan-in): about 3× less variance than Haiku's conv weights.
        var (_, torchStd, _) = Moments(new ConvEncoder(6, new Random(0)).NamedParameters().First(p => p.Name == "conv2.weight").Parameter);
        Assert.Equal(1 / Math.Sqrt(3 * 512), torchStd, 0.02 / Math.Sqrt(3 * 512));
    }

    [Fact]
    public void The_mlp_of_the_linear_inputs_is_reached_through_nested_modules()
    {
        var mlp = new Sequential(new Mlp([10, 64, 6], new Random(0)), new BatchNorm1d(6, affine: false));
        HaikuInit.Apply(mlp, new Random(2));
        var biases = mlp.NamedParameters().Where(p => p.Name.EndsWith("bias", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, biases.Length);
        Assert.All(biases, b => Assert.All(b.Parameter.Data, v => Assert.Equal(0f, v)));
    }
}
