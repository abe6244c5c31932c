using Disentangle.Plots;
using Disentangle.Training;

namespace Disentangle.Runs;

/// <summary>Which checkpoint of a run to evaluate.</summary>
public enum CheckpointChoice
{
    /// <summary>The one with the best validation outer loss (the reference's choice).</summary>
    Best,
    /// <summary>The last one.</summary>
    Last,
}

/// <summary>Options of <c>disentangle evaluate RUN</c>.</summary>
/// <param name="Checkpoint">Best (by validation loss) or last checkpoint.</param>
/// <param name="Samples">Samples of each evaluation set.</param>
/// <param name="TrainingDistribution">Also evaluate on samples of the training latent distribution (in distribution).</param>
/// <param name="Ica">Apply FastICA (logcosh) to the features first; null applies it exactly for inner-ridge-ica runs.</param>
/// <param name="IcaSamples">Training-distribution samples that FastICA is fitted on.</param>
/// <param name="Seed">Seed of the evaluation sets and of FastICA.</param>
/// <param name="FullGrid">The reference's evaluation: MCC, R and DCI on every grid image (480,000 for 3D Shapes) instead of
/// <see cref="Samples"/> uniform draws, and FastICA fitted on <see cref="FullGridIcaSamples"/> training-distribution samples;
/// encoded in chunks, in bounded memory.</param>
/// <param name="Format">Format of the figures (PNG, SVG, PDF).</param>
public sealed record EvaluateOptions(
    CheckpointChoice Checkpoint = CheckpointChoice.Best,
    int Samples = 10_000,
    bool TrainingDistribution = false,
    bool? Ica = null,
    int IcaSamples = 20_000,
    long Seed = 12_345,
    bool FullGrid = false,
    FigureFormat Format = FigureFormat.Png)
{
    /// <summary>Training-distribution samples FastICA is fitted on with <see cref="FullGrid"/> (the reference's 1,000,000).</summary>
    public const int FullGridIcaSamples = 1_000_000;

    /// <summary>The FastICA sample count in use: <see cref="FullGridIcaSamples"/> with <see cref="FullGrid"/>, else <see cref="IcaSamples"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int EffectiveIcaSamples => FullGrid ? FullGridIcaSamples : IcaSamples;

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Too few samples.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Samples, 10, nameof(Samples));
        ArgumentOutOfRangeException.ThrowIfLessThan(IcaSamples, 10, nameof(IcaSamples));
    }
}
