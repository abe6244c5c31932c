namespace Disentangle.FewShot;

/// <summary>The few-shot benchmarks <see cref="FewShotDatasets.Load"/> can open.</summary>
public enum FewShotDatasetKind
{
    /// <summary>The embedded 3D Shapes benchmark (<see cref="ShapesFewShotDataset"/>), nothing to download.</summary>
    Shapes,

    /// <summary>Fashion-MNIST from its IDX files (<see cref="FashionMnist"/>).</summary>
    FashionMnist,
}
