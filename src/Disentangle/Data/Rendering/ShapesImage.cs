namespace Disentangle.Data.Rendering;

/// <summary>Layout of one 3D Shapes image and conversion of uint8 HWC images to float32 CHW.</summary>
public static class ShapesImage
{
    /// <summary>Image height in pixels.</summary>
    public const int Height = 64;

    /// <summary>Image width in pixels.</summary>
    public const int Width = 64;

    /// <summary>Colour channels (RGB).</summary>
    public const int Channels = 3;

    /// <summary>Pixels per image.</summary>
    public const int Pixels = Height * Width;

    /// <summary>Bytes per uint8 image (64·64·3 = 12,288).</summary>
    public const int Bytes = Pixels * Channels;

    /// <summary>Converts uint8 HWC images to float32 CHW (NCHW for several) in [0, 1]: <c>x / 255</c>.</summary>
    /// <param name="hwc">Images, each <see cref="Bytes"/> bytes, height × width × channel.</param>
    /// <param name="chw">Destination of the same element count, each image channel × height × width.</param>
    /// <exception cref="ArgumentException">Lengths differ or are not a whole number of images.</exception>
    public static void ToFloatChw(ReadOnlySpan<byte> hwc, Span<float> chw)
    {
        if (hwc.Length % Bytes != 0 || chw.Length != hwc.Length)
            throw new ArgumentException($"Expected a whole number of {Bytes}-byte images and a destination of the same length; got {hwc.Length} bytes and {chw.Length} floats.", nameof(chw));
        const float inv = 1f / 255f;
        for (int image = 0; image < hwc.Length / Bytes; image++)
        {
            var src = hwc.Slice(image * Bytes, Bytes);
            var dst = chw.Slice(image * Bytes, Bytes);
            for (int p = 0; p < Pixels; p++)
            {
                dst[p] = src[3 * p] * inv;                // c = 0 (red)
                dst[Pixels + p] = src[3 * p + 1] * inv;   // c = 1 (green)
                dst[2 * Pixels + p] = src[3 * p + 2] * inv;
            }
        }
    }
}
