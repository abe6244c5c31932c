namespace Disentangle.FewShot;

/// <summary>Training-time data augmentation of episode images (MetaOptNet's recipe, without colour jitter).</summary>
/// <param name="CropPadding">Zero padding on each side before a random S×S crop; 0 disables cropping.</param>
/// <param name="HorizontalFlip">Mirror each image left–right with probability ½.</param>
public sealed record AugmentationOptions(int CropPadding = 4, bool HorizontalFlip = true)
{
    /// <summary>Throws when the padding is negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">CropPadding &lt; 0.</exception>
    public void Validate() => ArgumentOutOfRangeException.ThrowIfNegative(CropPadding, nameof(CropPadding));
}
