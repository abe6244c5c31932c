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
    /// <exception cref="ArgumentException">CIFAR-FS or miniImageNet without a path, or CIFAR-FS at a size other than 32.</exception>
    public static IFewShotDataset Load(FewShotDatasetKind kind, string? path, int imageSize) => kind switch
    {
        FewShotDatasetKind.Shapes => new ShapesFewShotDataset(new ShapesFewShotOptions(ImageSize: imageSize)),
        FewShotDatasetKind.FashionMnist => FashionMnist.Load(path ?? FashionMnist.DefaultFolder, imageSize),
        FewShotDatasetKind.CifarFs => imageSize == 32 ? CifarFs.Load(Required(path, kind))
            : throw new ArgumentException($"CIFAR-FS images are 32×32; image size {imageSize} is not supported.", nameof(imageSize)),
        FewShotDatasetKind.MiniImagenet => MiniImageNet.Load(Required(path, kind), imageSize),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown few-shot benchmark."),
    };

    private static string Required(string? path, FewShotDatasetKind kind) =>
        path ?? throw new ArgumentException($"The {kind} benchmark needs the folder of its files (DataPath / --data-path).", nameof(path));
}
