using Disentangle.Data;

namespace Disentangle.Tests.Data;

/// <summary><see cref="ImageShape.ToFloatChw"/> gives x / 255 in channel-major order, bit for bit the same on its
/// sixteen-pixel SIMD path and one pixel at a time.</summary>
public sealed class ImageShapeTests
{
    [Theory]
    [InlineData(64, 64, 3)]   // 3D Shapes: whole blocks of 16 pixels
    [InlineData(5, 7, 3)]     // 35 pixels: two blocks, then 3 one at a time
    [InlineData(4, 4, 1)]     // grey: one at a time
    [InlineData(3, 3, 4)]     // four channels: one at a time
    public void Converts_hwc_bytes_to_chw_floats_as_the_definition(int height, int width, int channels)
    {
        var shape = new ImageShape(height, width, channels);
        var bytes = new byte[2 * shape.Bytes];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0;
        bytes[1] = 255;
        var floats = new float[bytes.Length];
        shape.ToFloatChw(bytes, floats);
        for (int image = 0; image < 2; image++)
            for (int p = 0; p < shape.Pixels; p++)
                for (int c = 0; c < channels; c++)
                {
                    float expected = bytes[image * shape.Bytes + p * channels + c] * (1f / 255f);
                    Assert.Equal(expected, floats[image * shape.Bytes + c * shape.Pixels + p]);   // bit for bit
                }
        Assert.Equal(0f, floats[0]);
        Assert.Equal(1f, floats[channels == 1 ? 1 : shape.Pixels]);
    }
}
