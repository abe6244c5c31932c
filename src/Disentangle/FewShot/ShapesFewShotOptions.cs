namespace Disentangle.FewShot;

/// <summary>Options of <see cref="ShapesFewShotDataset"/>.</summary>
/// <param name="ImageSize">Side S of the images, a divisor of 64 (box-filtered from the 64×64 render).</param>
/// <param name="ImagesPerClass">Images per class (each a fixed draw of the within-class factors).</param>
/// <param name="TrainClasses">Classes of the train split (miniImageNet's 64 : 16 : 20 proportions by default).</param>
/// <param name="ValidationClasses">Classes of the validation split; the test split gets the remaining ones of 400.</param>
/// <param name="Seed">Seed of the class split and of the within-class factor draws.</param>
public sealed record ShapesFewShotOptions(int ImageSize = 32, int ImagesPerClass = 100, int TrainClasses = 256, int ValidationClasses = 64, long Seed = 0)
{
    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (named with its value).</exception>
    public void Validate()
    {
        if (ImageSize < 1 || ImageSize > 64 || 64 % ImageSize != 0)
            throw new ArgumentOutOfRangeException(nameof(ImageSize), ImageSize, "The image size must divide 64 (64, 32, 16, …).");
        ArgumentOutOfRangeException.ThrowIfLessThan(ImagesPerClass, 1, nameof(ImagesPerClass));
        ArgumentOutOfRangeException.ThrowIfLessThan(TrainClasses, 1, nameof(TrainClasses));
        ArgumentOutOfRangeException.ThrowIfLessThan(ValidationClasses, 1, nameof(ValidationClasses));
        if (TrainClasses + ValidationClasses >= ShapesFewShotDataset.TotalClasses)
            throw new ArgumentOutOfRangeException(nameof(ValidationClasses), ValidationClasses,
                $"Train ({TrainClasses}) + validation classes must leave test classes out of {ShapesFewShotDataset.TotalClasses}.");
    }
}
