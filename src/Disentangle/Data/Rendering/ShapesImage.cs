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
    public static void ToFloatChw(ReadOnlySpan<byte> hwc, Span<float> chw) => ImageShape.Shapes3D.ToFloatChw(hwc, chw);
}
