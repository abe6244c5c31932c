using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
        for (int image = 0; image < hwc.Length / bytes; image++)
        {
            var src = hwc.Slice(image * bytes, bytes);
            var dst = chw.Slice(image * bytes, bytes);
            int p = channels == 3 && Ssse3.IsSupported ? RgbSixteens(src, dst, pixels) : 0;
            for (; p < pixels; p++)
                for (int c = 0; c < channels; c++) dst[c * pixels + p] = src[channels * p + c] * Scale;
        }
    }

    private const float Scale = 1f / 255f;

    /// <summary>The RGB image's pixels sixteen at a time (48 bytes split into its three channels by byte shuffles), the
    /// same values as the scalar loop; returns how many pixels it converted.</summary>
    private static int RgbSixteens(ReadOnlySpan<byte> src, Span<float> dst, int pixels)
    {
        int p = 0;
        for (; p + 16 <= pixels; p += 16)
        {
            var a = Vector128.Create(src.Slice(3 * p, 16));
            var b = Vector128.Create(src.Slice(3 * p + 16, 16));
            var c = Vector128.Create(src.Slice(3 * p + 32, 16));
            for (int channel = 0; channel < 3; channel++)
            {
                var (fromA, fromB, fromC) = ChannelShuffles[channel];
                var values = Ssse3.Shuffle(a, fromA) | Ssse3.Shuffle(b, fromB) | Ssse3.Shuffle(c, fromC);
                var dstChannel = dst.Slice(channel * pixels + p, 16);
                var (low, high) = Vector128.Widen(values);
                StoreFour(Vector128.WidenLower(low), dstChannel, 0);
                StoreFour(Vector128.WidenUpper(low), dstChannel, 4);
                StoreFour(Vector128.WidenLower(high), dstChannel, 8);
                StoreFour(Vector128.WidenUpper(high), dstChannel, 12);
            }
        }
        return p;
    }

    private static void StoreFour(Vector128<uint> values, Span<float> dst, int at) =>
        (Vector128.ConvertToSingle(values.AsInt32()) * Vector128.Create(Scale)).CopyTo(dst[at..]);

    /// <summary>Per channel, the byte shuffles that take its values out of three 16-byte blocks of RGB pixels (an index
    /// with its high bit set gives 0).</summary>
    private static readonly (Vector128<byte>, Vector128<byte>, Vector128<byte>)[] ChannelShuffles =
        [.. Enumerable.Range(0, 3).Select(channel => (Block(channel, 0), Block(channel, 1), Block(channel, 2)))];

    private static Vector128<byte> Block(int channel, int block)
    {
        Span<byte> indices = stackalloc byte[16];
        for (int pixel = 0; pixel < 16; pixel++)
        {
            int at = 3 * pixel + channel - 16 * block;
            indices[pixel] = at is >= 0 and < 16 ? (byte)at : (byte)0xFF;
        }
        return Vector128.Create((ReadOnlySpan<byte>)indices);
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
