using Disentangle.Autodiff;
using Disentangle.Nn;
using Disentangle.Tensors;

namespace Disentangle.Tests.Nn;

public sealed class LayerGradientTests
{
    private static Tensor[] With(Tensor x, Module m) => [x, .. m.Parameters()];

    [Fact]
    public void Linear_layer_matches_central_differences()
    {
        var random = new Random(1);
        var layer = new Linear(5, 3, random);
        GradCheck.AssertClose(t => layer.Forward(t[0]), With(Tensor.RandN([4, 5], random, requiresGrad: true), layer), eps: 1e-2);
    }

    [Theory]
    [InlineData(8, 4, 2)]
    [InlineData(7, 3, 2)]   // odd size: asymmetric SAME padding
    [InlineData(6, 3, 1)]
    public void Conv2d_layer_with_same_padding_matches_central_differences(int size, int kernel, int stride)
    {
        var random = new Random(size);
        var layer = new Conv2d(2, 3, kernel, random, stride, ConvPadding.Same);
        var x = Tensor.RandN([2, 2, size, size], random, requiresGrad: true);
        var y = layer.Forward(x);
        Assert.Equal([2, 3, (size + stride - 1) / stride, (size + stride - 1) / stride], y.Shape);
        GradCheck.AssertClose(t => layer.Forward(t[0]), With(x, layer), eps: 1e-2, rtol: 2e-2);
    }

    [Fact]
    public void Mlp_matches_central_differences()
    {
        var random = new Random(2);
        var mlp = new Mlp([4, 6, 3], random, () => new LeakyReLU(0.1f));
        GradCheck.AssertClose(t => mlp.Forward(t[0]), With(Tensor.RandN([5, 4], random, requiresGrad: true), mlp), eps: 1e-3, rtol: 2e-2);
    }

    /// <remarks>Central differences of the whole encoder are dominated by ReLU kinks (thousands of units, batch norm mixing
    /// the batch), so this checks only the input; every parameter gradient is compared with PyTorch in
    /// <see cref="ConvEncoderReferenceTests"/>, and every op is gradient-checked on its own.</remarks>
    [Fact]
    public void Conv_encoder_input_gradient_matches_central_differences()
    {
        var random = new Random(3);
        var encoder = new ConvEncoder(3, random, channels: 2, imageSize: 16);
        Assert.Equal(64, encoder.FlatFeatures);
        var x = Tensor.RandN([4, 2, 16, 16], random, requiresGrad: true);
        GradCheck.AssertClose(t => encoder.Forward(t[0]), [x], eps: 2e-3, rtol: 3e-2, atol: 3e-3, coords: 30, maxNonSmoothFraction: 0.2);
    }

    [Fact]
    public void Conv_encoder_maps_64_pixel_images_to_z_features()
    {
        var encoder = new ConvEncoder(6, new Random(4));
        var y = encoder.Forward(Tensor.RandN([5, 3, 64, 64], new Random(5)));
        Assert.Equal([5, 6], y.Shape);
        for (int j = 0; j < 6; j++) Assert.Equal(0, Enumerable.Range(0, 5).Average(i => y.Data[i * 6 + j]), 1e-4);   // batch-normalised
    }
}
