namespace Disentangle.FewShot;

/// <summary>Opens a benchmark by kind.</summary>
public static class FewShotDatasets
{
    /// <summary>Opens <paramref name="kind"/> with images of side <paramref name="imageSize"/>.</summary>
    /// <param name="kind">Which benchmark.</param>
    /// <param name="path">Folder of the files, or null for the default (unused by <see cref="FewShotDatasetKind.Shapes"/>).</param>
    /// <param name="imageSize">Image side: a divisor of 64 for Shapes, ≥ 28 (zero padding) for Fashion-MNIST.</param>
    /// <exception cref="ArgumentOutOfRangeException">Unknown kind or an image size the benchmark cannot give.</exception>
    /// <exception cref="FileNotFoundException">A file of the benchmark is missing.</exception>
    public static IFewShotDataset Load(FewShotDatasetKind kind, string? path, int imageSize) => kind switch
    {
        FewShotDatasetKind.Shapes => new ShapesFewShotDataset(new ShapesFewShotOptions(ImageSize: imageSize)),
        FewShotDatasetKind.FashionMnist => FashionMnist.Load(path ?? FashionMnist.DefaultFolder, imageSize),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown few-shot benchmark."),
    };
}
