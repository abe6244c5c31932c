using Disentangle.FewShot;
using Disentangle.Nn;
using Disentangle.Solvers.GroupSparseSvm;

namespace Disentangle.Experiments;

/// <summary>Configuration of few-shot meta-training with the group-sparse SVM head (method.md §6–7).</summary>
/// <param name="Dataset">The benchmark.</param>
/// <param name="DataPath">Folder of its files (null: the default location).</param>
/// <param name="ImageSize">Image side fed to the backbone.</param>
/// <param name="Backbone">Conv4 or ResNet-12.</param>
/// <param name="Width">Conv4 channels per block, or ResNet-12's first width (64 gives 64-160-320-640).</param>
/// <param name="Ways">N.</param>
/// <param name="Shots">K (training and test).</param>
/// <param name="Queries">Query images per class.</param>
/// <param name="MetaBatch">Episodes per optimizer step.</param>
/// <param name="EpisodesPerEpoch">Training episodes per epoch (rounded up to whole meta-batches).</param>
/// <param name="Epochs">Number of epochs.</param>
/// <param name="LearningRate">SGD base rate; MetaOptNet's schedule (×1, 0.06, 0.012, 0.0024 from 0, ⅓, ⅔, ⅚ of
/// training) is applied per step over the whole run.</param>
/// <param name="Momentum">Nesterov momentum.</param>
/// <param name="WeightDecay">L2 weight decay.</param>
/// <param name="LambdaRatio">λ₁/λ₁max of the head, in [0, 1); 0 is MetaOptNet's SVM.</param>
/// <param name="Lambda2">λ₂ (10 is MetaOptNet's C = 0.1).</param>
/// <param name="SolverTolerance">Duality-gap tolerance of the inner SVM (relative to n).</param>
/// <param name="LambdaMaxTolerance">Relative accuracy of λ₁max.</param>
/// <param name="HeadSolver">The exact dual (default) or the released code's projected-gradient head (use it with λ₂ = 1000,
/// the released default).</param>
/// <param name="DualRegularisation">ρ of the projected-gradient head's dual term (the released <c>dual_reg</c>).</param>
/// <param name="HeadSteps">Projected-gradient steps of that head (the released <c>num_steps</c>).</param>
/// <param name="HeadCgSteps">Conjugate-gradient iterations of that head's implicit differentiation.</param>
/// <param name="Augment">Random crop (padding 4, or 2 for images under 32 px) and horizontal flip of training images.</param>
/// <param name="ValidationEpisodes">Validation episodes after each epoch (0: none).</param>
/// <param name="Seed">Seed of the initialisation and of the episodes.</param>
/// <param name="Out">Run folder (config.json, log.csv, checkpoint.safetensors).</param>
public sealed record MetaLearningOptions(
    FewShotDatasetKind Dataset = FewShotDatasetKind.Shapes,
    string? DataPath = null,
    int ImageSize = 32,
    BackboneKind Backbone = BackboneKind.Conv4,
    int Width = 32,
    int Ways = 5,
    int Shots = 1,
    int Queries = 15,
    int MetaBatch = 8,
    int EpisodesPerEpoch = 8_000,
    int Epochs = 60,
    double LearningRate = 0.1,
    double Momentum = 0.9,
    double WeightDecay = 5e-4,
    double LambdaRatio = 0,
    double Lambda2 = 10,
    double SolverTolerance = 1e-4,
    double LambdaMaxTolerance = 1e-2,
    SvmHeadSolver HeadSolver = SvmHeadSolver.ExactDual,
    double DualRegularisation = 1,
    int HeadSteps = 5,
    int HeadCgSteps = 5,
    bool Augment = true,
    int ValidationEpisodes = 0,
    long Seed = 0,
    string Out = "runs/meta")
{
    /// <summary>Optimizer steps per epoch, ⌈EpisodesPerEpoch / MetaBatch⌉.</summary>
    public int StepsPerEpoch => (EpisodesPerEpoch + MetaBatch - 1) / MetaBatch;

    /// <summary>The episode shape.</summary>
    public EpisodeOptions Episode => new(Ways, Shots, Queries);

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (named with its value).</exception>
    /// <exception cref="ArgumentException">The output folder is empty.</exception>
    public void Validate()
    {
        Episode.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(ImageSize, 16, nameof(ImageSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Width, 1, nameof(Width));
        ArgumentOutOfRangeException.ThrowIfLessThan(MetaBatch, 1, nameof(MetaBatch));
        ArgumentOutOfRangeException.ThrowIfLessThan(EpisodesPerEpoch, 1, nameof(EpisodesPerEpoch));
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfNegative(ValidationEpisodes, nameof(ValidationEpisodes));
        if (!(LearningRate >= 0) || !double.IsFinite(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "Must be finite and ≥ 0.");
        if (!(Momentum > 0 && Momentum < 1)) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Nesterov momentum must be in (0, 1).");
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "Must be finite and ≥ 0.");
        if (!(LambdaRatio >= 0 && LambdaRatio < 1)) throw new ArgumentOutOfRangeException(nameof(LambdaRatio), LambdaRatio, "λ₁/λ₁max must be in [0, 1).");
        if (!(Lambda2 > 0) || !double.IsFinite(Lambda2)) throw new ArgumentOutOfRangeException(nameof(Lambda2), Lambda2, "λ₂ must be finite and > 0.");
        if (!(SolverTolerance > 0)) throw new ArgumentOutOfRangeException(nameof(SolverTolerance), SolverTolerance, "Must be > 0.");
        if (!(LambdaMaxTolerance > 0 && LambdaMaxTolerance < 1)) throw new ArgumentOutOfRangeException(nameof(LambdaMaxTolerance), LambdaMaxTolerance, "Must be in (0, 1).");
        new ProjectedGradientSvmOptions(DualRegularisation, HeadSteps, HeadCgSteps).Validate();
        if (string.IsNullOrWhiteSpace(Out)) throw new ArgumentException("The output folder is empty.", nameof(Out));
    }
}
