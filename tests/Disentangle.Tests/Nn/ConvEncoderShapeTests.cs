using Disentangle.Nn;
using Disentangle.Tensors;

namespace Disentangle.Tests.Nn;

public sealed class ConvEncoderShapeTests
{
    [Theory]
    [InlineData(1, 16, 16, 64 * 1 * 1)]
    [InlineData(1, 16, 24, 64 * 1 * 2)]
    [InlineData(3, 64, 64, 64 * 4 * 4)]
    [InlineData(4, 40, 100, 64 * 3 * 7)]
    public void Any_height_width_and_channels_give_four_halvings_then_the_flattened_linear_layer(int channels, int height, int width, int flat)
    {
        var encoder = new ConvEncoder(3, new Random(0), channels, height, width);
        Assert.Equal(flat, encoder.FlatFeatures);
        var x = new Tensor(Enumerable.Range(0, 2 * channels * height * width).Select(i => (float)Math.Sin(i)).ToArray(), [2, channels, height, width]);
        Assert.Equal([2, 3], encoder.Forward(x).Shape);
        var e = Assert.Throws<ArgumentException>(() => encoder.Forward(new Tensor(new float[2 * channels * (width + 1) * height], [2, channels, width + 1, height])));
        Assert.Contains($"must be (N, {channels}, {height}, {width})", e.Message);
    }

    [Fact]
    public void The_square_constructor_is_the_general_one_with_equal_sides()
    {
        var square = new ConvEncoder(6, new Random(4), 3, 32);
        var general = new ConvEncoder(6, new Random(4), 3, 32, 32);
        Assert.Equal(square.NamedParameters().Select(p => p.Parameter.Data), general.NamedParameters().Select(p => p.Parameter.Data));
    }
}
