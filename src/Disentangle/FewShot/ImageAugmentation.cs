namespace Disentangle.FewShot;

/// <summary>Random crop with zero padding and horizontal flip of one CHW image, in place.</summary>
public static class ImageAugmentation
{
    /// <summary>Augments <paramref name="image"/> (C·S·S floats, CHW) in place.</summary>
    /// <remarks>Crop: offsets <c>(dy, dx)</c> uniform in <c>[−pad, pad]</c>, <c>out[c, y, x] = in[c, y + dy, x + dx]</c>
    /// (0 outside the image); then a flip <c>out[c, y, x] = out[c, y, S − 1 − x]</c> with probability ½.</remarks>
    /// <param name="image">The image, C·S·S floats.</param>
    /// <param name="channels">C.</param>
    /// <param name="size">S.</param>
    /// <param name="options">The augmentation.</param>
    /// <param name="random">Source of the crop offsets and flips.</param>
    /// <param name="scratch">A buffer of at least C·S·S floats.</param>
    /// <exception cref="ArgumentException">The image or scratch length does not match C·S·S.</exception>
    public static void Apply(Span<float> image, int channels, int size, AugmentationOptions options, Random random, Span<float> scratch)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        int length = channels * size * size;
        if (image.Length != length || scratch.Length < length)
            throw new ArgumentException($"The image has {image.Length} values and the scratch {scratch.Length}; {channels}×{size}×{size} = {length} are needed.", nameof(image));
        int pad = options.CropPadding;
        if (pad > 0)
        {
            int dy = random.Next(-pad, pad + 1), dx = random.Next(-pad, pad + 1);
            image.CopyTo(scratch);
            image.Clear();
            for (int c = 0; c < channels; c++)
                for (int y = Math.Max(0, -dy); y < Math.Min(size, size - dy); y++)
                {
                    int x0 = Math.Max(0, -dx), x1 = Math.Min(size, size - dx);
                    scratch.Slice((c * size + y + dy) * size + x0 + dx, x1 - x0).CopyTo(image.Slice((c * size + y) * size + x0, x1 - x0));
                }
        }
        if (options.HorizontalFlip && random.Next(2) == 1)
            for (int row = 0; row < channels * size; row++) image.Slice(row * size, size).Reverse();
    }
}
