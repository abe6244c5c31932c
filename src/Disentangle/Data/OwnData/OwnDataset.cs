namespace Disentangle.Data.OwnData;

/// <summary>A user's data set held in memory: N images of one <see cref="ImageShape"/> and their factors
/// (<see cref="FactorTable"/>), loaded from an HDF5 or NPZ file by <see cref="DataSources.Open"/> (docs/own-data.md).</summary>
/// <remarks>Images are kept in blocks of at most 1 GiB, so data sets larger than one .NET array load too (the loader
/// checks the total against the memory available first).</remarks>
public sealed class OwnDataset : IImageDataset
{
    private const long BlockBytes = 1L << 30;
    private readonly byte[][] _blocks;
    private readonly int _blockImages;

    /// <summary>Allocates the image blocks of <paramref name="factors"/>.Count images of <paramref name="shape"/>; the loader
    /// fills them through <see cref="Block"/>.</summary>
    internal OwnDataset(string path, ImageShape shape, FactorTable factors)
    {
        Path = path;
        Shape = shape;
        Factors = factors;
        _blockImages = (int)Math.Max(1, BlockBytes / shape.Bytes);
        int blocks = (factors.Count + _blockImages - 1) / _blockImages;
        _blocks = new byte[blocks][];
        for (int b = 0; b < blocks; b++) _blocks[b] = new byte[(long)Math.Min(_blockImages, factors.Count - b * _blockImages) * shape.Bytes];
    }

    /// <summary>Full path of the file the data came from.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public FactorSet Factors { get; }

    /// <inheritdoc/>
    public int Count => Factors.Count;

    /// <inheritdoc/>
    public ImageShape Shape { get; }

    /// <summary>Images per block (the last block may hold fewer).</summary>
    internal int BlockImages => _blockImages;

    /// <summary>The bytes of block <paramref name="block"/>: images <c>block·BlockImages</c> onwards, HWC, one after another.</summary>
    internal byte[] Block(int block) => _blocks[block];

    /// <summary>Number of blocks.</summary>
    internal int Blocks => _blocks.Length;

    /// <inheritdoc/>
    public void ReadImages(ReadOnlySpan<int> indices, Span<byte> destination)
    {
        int bytes = Shape.Bytes;
        if (destination.Length < (long)indices.Length * bytes)
            throw new ArgumentException($"{indices.Length} images need {(long)indices.Length * bytes} bytes; the destination has {destination.Length}.", nameof(destination));
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            if ((uint)index >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"Sample index must be in [0, {Count}) for '{Path}'.");
            _blocks[index / _blockImages].AsSpan(index % _blockImages * bytes, bytes).CopyTo(destination.Slice(i * bytes, bytes));
        }
    }
}
