namespace Disentangle.FewShot;

/// <summary>The few-shot benchmarks <see cref="FewShotDatasets.Load"/> can open.</summary>
public enum FewShotDatasetKind
{
    /// <summary>The embedded 3D Shapes benchmark (<see cref="ShapesFewShotDataset"/>), nothing to download.</summary>
    Shapes,

    /// <summary>Fashion-MNIST from its IDX files (<see cref="FashionMnist"/>).</summary>
    FashionMnist,

    /// <summary>CIFAR-FS from the CIFAR-100 binary files and split lists (<see cref="CifarFs"/>).</summary>
    CifarFs,

    /// <summary>miniImageNet in the Ravi–Larochelle CSV + JPEG layout (<see cref="FewShot.MiniImageNet"/>; <c>mini-imagenet</c> on the command line).</summary>
    MiniImagenet,
}
