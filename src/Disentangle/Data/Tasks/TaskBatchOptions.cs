using Disentangle.Data.Latents;

namespace Disentangle.Data.Tasks;

/// <summary>Which image a grid point shows when latent noise is on (only a source that renders off the grid can do otherwise).</summary>
public enum LatentNoiseImages
{
    /// <summary>The grid point's own image; only its latent moves to z + ε (the paper, Appendix D.2, and the released code).</summary>
    GridPoint,
    /// <summary>The image rendered at the perturbed latent z + ε (the embedded renderer only; this project's earlier behaviour).</summary>
    PerturbedLatent,
}

/// <summary>How <see cref="TaskBatchSampler"/> draws tasks (defaults: the paper's 3D Shapes run, method.md §4 and §7).</summary>
/// <param name="Tasks">Tasks T per batch.</param>
/// <param name="InnerShots">Samples per task for the inner problem (the first ones of each task).</param>
/// <param name="OuterShots">Further samples per task for the outer loss (0 when inner and outer share the samples).</param>
/// <param name="Outputs">Outputs k per task (columns of W and Y).</param>
/// <param name="NoiseScale">σ in <c>y = Zw + σ (‖Zw‖/‖ε‖) ε</c>.</param>
/// <param name="Distribution">Latent distribution over the grid; null means uniform over the source's grid.</param>
/// <param name="LatentNoiseScale">Latent noise s in [0, 1] (<see cref="LatentNoise"/>).</param>
/// <param name="LatentNoiseSeed">Seed of the fixed per-image latent offsets (a property of the data set, not of the run).</param>
/// <param name="Coefficients">Task coefficient sampler; null means <c>binomial_gauss</c> (p = 0.5).</param>
/// <param name="Seed">Seed of the batch stream: batch i depends only on (Seed, i).</param>
/// <param name="RenderImages">Produce the images; false leaves <see cref="TaskBatch.Images"/> empty (for inputs computed
/// from the latents, such as a linear ground truth), at no rendering cost.</param>
/// <param name="NoisyImages">With latent noise, show the grid point's image (default) or render the perturbed latent.</param>
public sealed record TaskBatchOptions(
    int Tasks = 8,
    int InnerShots = 25,
    int OuterShots = 25,
    int Outputs = 1,
    double NoiseScale = 0.1,
    ILatentDistribution? Distribution = null,
    double LatentNoiseScale = 0.0,
    int LatentNoiseSeed = 0,
    ITaskCoefficientSampler? Coefficients = null,
    int Seed = 0,
    bool RenderImages = true,
    LatentNoiseImages NoisyImages = LatentNoiseImages.GridPoint)
{
    /// <summary>Samples per task, inner + outer.</summary>
    public int SamplesPerTask => InnerShots + OuterShots;

    /// <summary>Throws when a count is below its minimum, σ is negative or not finite, or s is outside [0, 1].</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it).</exception>
    public void Validate()
    {
        Guard.AtLeast(Tasks, 1, nameof(Tasks));
        Guard.AtLeast(InnerShots, 1, nameof(InnerShots));
        Guard.AtLeast(OuterShots, 0, nameof(OuterShots));
        Guard.AtLeast(Outputs, 1, nameof(Outputs));
        Guard.NonNegative(NoiseScale, nameof(NoiseScale));
        Guard.Between(LatentNoiseScale, 0, 1, nameof(LatentNoiseScale));
    }
}
