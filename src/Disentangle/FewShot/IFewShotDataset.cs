namespace Disentangle.FewShot;

/// <summary>A few-shot benchmark: per split, classes of same-sized images read as float32 CHW in [0, 1].</summary>
public interface IFewShotDataset
{
    /// <summary>Short name for logs ("shapes", "fashion-mnist", …).</summary>
    string Name { get; }

    /// <summary>Image channels C.</summary>
    int Channels { get; }

    /// <summary>Image side S (images are S×S).</summary>
    int ImageSize { get; }

    /// <summary>Number of classes in <paramref name="split"/>.</summary>
    int ClassCount(FewShotSplit split);

    /// <summary>Number of images of class <paramref name="classIndex"/> (0-based within <paramref name="split"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The class index is outside the split.</exception>
    int ImageCount(FewShotSplit split, int classIndex);

    /// <summary>Writes image <paramref name="imageIndex"/> of class <paramref name="classIndex"/> as C·S·S floats (CHW).
    /// Thread-safe.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not C·S·S long.</exception>
    void CopyImage(FewShotSplit split, int classIndex, int imageIndex, Span<float> destination);
}
