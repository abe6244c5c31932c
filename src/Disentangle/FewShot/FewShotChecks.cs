namespace Disentangle.FewShot;

/// <summary>The argument check every <see cref="IFewShotDataset.CopyImage"/> starts with (ranges by <see cref="Guard"/>).</summary>
internal static class FewShotChecks
{
    public static void Image(IFewShotDataset dataset, FewShotSplit split, int classIndex, int imageIndex, int destinationLength)
    {
        int classes = dataset.ClassCount(split);
        Guard.Index(classIndex, classes, nameof(classIndex), $"the {split} split of {dataset.Name} has {classes} classes");
        int images = dataset.ImageCount(split, classIndex);
        Guard.Index(imageIndex, images, nameof(imageIndex), $"class {classIndex} of the {split} split of {dataset.Name} has {images} images");
        int length = dataset.Channels * dataset.ImageSize * dataset.ImageSize;
        if (destinationLength != length)
            throw new ArgumentException($"The destination holds {destinationLength} floats; one {dataset.Channels}×{dataset.ImageSize}×{dataset.ImageSize} image needs {length}.", "destination");
    }
}
