namespace Disentangle.FewShot;

/// <summary>Argument checks shared by the few-shot datasets.</summary>
internal static class FewShotChecks
{
    public static void Image(IFewShotDataset dataset, FewShotSplit split, int classIndex, int imageIndex, int destinationLength)
    {
        int classes = dataset.ClassCount(split);
        if ((uint)classIndex >= (uint)classes)
            throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"The {split} split of {dataset.Name} has {classes} classes.");
        int images = dataset.ImageCount(split, classIndex);
        if ((uint)imageIndex >= (uint)images)
            throw new ArgumentOutOfRangeException(nameof(imageIndex), imageIndex, $"Class {classIndex} of the {split} split of {dataset.Name} has {images} images.");
        int length = dataset.Channels * dataset.ImageSize * dataset.ImageSize;
        if (destinationLength != length)
            throw new ArgumentException($"The destination holds {destinationLength} floats; one {dataset.Channels}×{dataset.ImageSize}×{dataset.ImageSize} image needs {length}.", "destination");
    }
}
