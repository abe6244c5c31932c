namespace Disentangle.Data;

/// <summary>The layout of a data set's images: uint8, height × width × channel (HWC), row-major, one after another.</summary>
/// <param name="Height">Rows of pixels H.</param>
/// <param name="Width">Columns of pixels W.</param>
/// <param name="Channels">Channels C (3 for RGB, 1 for grey).</param>
public readonly record struct ImageShape(int Height, int Width, int Channels)
{
    /// <summary>The 3D Shapes layout: 64 × 64 × 3.</summary>
    public static ImageShape Shapes3D { get; } = new(64, 64, 3);

    /// <summary>Pixels per channel (H·W).</summary>
    public int Pixels => Height * Width;

    /// <summary>Bytes (and float values) per image (H·W·C).</summary>
    public int Bytes => Height * Width * Channels;

    /// <summary>The encoder's input shape for <paramref name="count"/> images: (N, C, H, W).</summary>
    public int[] TensorShape(int count) => [count, Channels, Height, Width];

    /// <summary>Converts uint8 HWC images to float32 CHW (NCHW for several) in [0, 1]: <c>x / 255</c>.</summary>
    /// <param name="hwc">Images, each <see cref="Bytes"/> bytes, height × width × channel.</param>
    /// <param name="chw">Destination of the same element count, each image channel × height × width.</param>
    /// <exception cref="ArgumentException">Lengths differ or are not a whole number of images.</exception>
    public void ToFloatChw(ReadOnlySpan<byte> hwc, Span<float> chw)
    {
        int bytes = Bytes, pixels = Pixels, channels = Channels;
        if (bytes == 0 || hwc.Length % bytes != 0 || chw.Length != hwc.Length)
            throw new ArgumentException($"Expected a whole number of {bytes}-byte images and a destination of the same length; got {hwc.Length} bytes and {chw.Length} floats.", nameof(chw));
        const float inv = 1f / 255f;
        for (int image = 0; image < hwc.Length / bytes; image++)
        {
            var src = hwc.Slice(image * bytes, bytes);
            var dst = chw.Slice(image * bytes, bytes);
            for (int p = 0; p < pixels; p++)
                for (int c = 0; c < channels; c++) dst[c * pixels + p] = src[channels * p + c] * inv;
        }
    }

    /// <summary>Converts the images of a byte buffer to an (N, C, H, W) float32 tensor in [0, 1], in parallel over images.</summary>
    public Tensors.Tensor ToTensor(byte[] hwc)
    {
        ArgumentNullException.ThrowIfNull(hwc);
        int bytes = Bytes, count = hwc.Length / bytes;
        var pixels = new float[hwc.Length];
        var shape = this;
        Parallel.For(0, count, Tensors.Parallelism.Options, i => shape.ToFloatChw(hwc.AsSpan(i * bytes, bytes), pixels.AsSpan(i * bytes, bytes)));
        return new Tensors.Tensor(pixels, TensorShape(count));
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Height}×{Width}×{Channels}";
}
