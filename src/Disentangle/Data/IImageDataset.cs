namespace Disentangle.Data;

/// <summary>Images with ground-truth factors, indexed 0 … <see cref="Count"/> − 1: what a training run draws its tasks from.
/// 3D Shapes (<see cref="IShapesSource"/>: the embedded renderer or <c>3dshapes.h5</c>) or a user's own file
/// (<see cref="OwnData.OwnDataset"/>, docs/own-data.md).</summary>
/// <remarks>Images are uint8 in the layout <see cref="Shape"/> (height × width × channel), written one after another into
/// the destination.</remarks>
public interface IImageDataset
{
    /// <summary>The factors of every sample (the sample index is the grid index for 3D Shapes).</summary>
    FactorSet Factors { get; }

    /// <summary>Number of samples (<c>Factors.Count</c>).</summary>
    int Count { get; }

    /// <summary>The layout of one image.</summary>
    ImageShape Shape { get; }

    /// <summary>Writes the images with the given sample indices, in the given order.</summary>
    /// <param name="indices">Sample indices in [0, Count).</param>
    /// <param name="destination">At least <c>indices.Length × Shape.Bytes</c> bytes.</param>
    void ReadImages(ReadOnlySpan<int> indices, Span<byte> destination);
}
