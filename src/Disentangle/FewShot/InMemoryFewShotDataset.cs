namespace Disentangle.FewShot;

/// <summary>A few-shot dataset held in memory as uint8 CHW images grouped by split and class (Fashion-MNIST, CIFAR-FS,
/// miniImageNet).</summary>
public sealed class InMemoryFewShotDataset : IFewShotDataset
{
    private readonly IReadOnlyDictionary<FewShotSplit, byte[][]> _classes;
    private readonly int _imageBytes;

    /// <summary>Wraps per-split, per-class image blocks.</summary>
    /// <param name="name">Name for logs and messages.</param>
    /// <param name="channels">C.</param>
    /// <param name="imageSize">S.</param>
    /// <param name="classes">For each of the three splits, one array per class holding its images back to back,
    /// C·S·S bytes each (CHW).</param>
    /// <exception cref="ArgumentException">A split is missing or a class block is not a whole, non-zero number of images.</exception>
    public InMemoryFewShotDataset(string name, int channels, int imageSize, IReadOnlyDictionary<FewShotSplit, byte[][]> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageSize);
        _imageBytes = channels * imageSize * imageSize;
        foreach (var split in Enum.GetValues<FewShotSplit>())
        {
            if (!classes.TryGetValue(split, out var blocks))
                throw new ArgumentException($"{name}: the {split} split is missing.", nameof(classes));
            for (int c = 0; c < blocks.Length; c++)
                if (blocks[c].Length == 0 || blocks[c].Length % _imageBytes != 0)
                    throw new ArgumentException($"{name}: class {c} of the {split} split holds {blocks[c].Length} bytes, not a positive multiple of {_imageBytes}.", nameof(classes));
        }
        Name = name;
        Channels = channels;
        ImageSize = imageSize;
        _classes = classes;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public int Channels { get; }

    /// <inheritdoc/>
    public int ImageSize { get; }

    /// <inheritdoc/>
    public int ClassCount(FewShotSplit split) => _classes[split].Length;

    /// <inheritdoc/>
    public int ImageCount(FewShotSplit split, int classIndex)
    {
        var blocks = _classes[split];
        if ((uint)classIndex >= (uint)blocks.Length)
            throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"The {split} split of {Name} has {blocks.Length} classes.");
        return blocks[classIndex].Length / _imageBytes;
    }

    /// <inheritdoc/>
    public void CopyImage(FewShotSplit split, int classIndex, int imageIndex, Span<float> destination)
    {
        FewShotChecks.Image(this, split, classIndex, imageIndex, destination.Length);
        var source = _classes[split][classIndex].AsSpan(imageIndex * _imageBytes, _imageBytes);
        for (int k = 0; k < source.Length; k++) destination[k] = source[k] * (1f / 255f);
    }
}
