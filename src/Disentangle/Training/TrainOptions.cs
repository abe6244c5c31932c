using Disentangle.Data.Latents;

namespace Disentangle.Training;

/// <summary>The inner problem and where sparsity is applied (method.md §3).</summary>
public enum TrainMethod
{
    /// <summary>Inner Lasso (group Lasso when k &gt; 1): the paper's method.</summary>
    InnerLasso,
    /// <summary>Inner Ridge: dense per-task predictors.</summary>
    InnerRidge,
    /// <summary>Inner Ridge, then FastICA on the learned features (Ahuja et al. 2022c); ICA is applied at evaluation.</summary>
    InnerRidgeIca,
    /// <summary>Inner Ridge with <c>λ_out‖Ŵ‖_{2,1}</c> added to the outer loss (Section B.3, Figure 10).</summary>
    OuterL1,
}

/// <summary>What the encoder sees.</summary>
public enum InputKind
{
    /// <summary>3D Shapes images (embedded renderer, or the HDF5 file given by <see cref="TrainOptions.Data"/>) and the ConvEncoder.</summary>
    Images,
    /// <summary>x = A z with a random A (a linear ground truth) and an MLP encoder: fast, for tests and sanity checks.</summary>
    Linear,
}

/// <summary>Every option of <c>disentangle train</c>; defaults are the reference run (method.md §4 and §7).</summary>
/// <param name="Method">Inner problem / sparsity placement.</param>
/// <param name="Steps">Outer steps.</param>
/// <param name="Tasks">Tasks per step.</param>
/// <param name="InnerShots">Samples per task for the inner problem.</param>
/// <param name="OuterShots">Samples per task for the outer loss.</param>
/// <param name="Split">Use a support/query split (Eq. 5); by default inner and outer share all InnerShots + OuterShots samples.</param>
/// <param name="LearningRate">Adam learning rate.</param>
/// <param name="InnerMaxEpochs">Largest number of coordinate-descent epochs per inner problem.</param>
/// <param name="InnerTolerance">Relative duality-gap tolerance of the inner solver.</param>
/// <param name="LambdaRatio">c: λ = c·λ_max (Lasso) or c·‖X‖²_F/n (Ridge); null takes the reference's 0.3 (Lasso) or 1e-7 (Ridge).</param>
/// <param name="OuterPenalty">λ_out of the outer-L1 method.</param>
/// <param name="ZDim">Dimension of the learned representation.</param>
/// <param name="Outputs">Outputs k per task (k &gt; 1 makes the inner problem a group Lasso).</param>
/// <param name="LabelNoise">σ: label noise relative to the signal norm.</param>
/// <param name="Latents">Latent distribution: <c>uniform</c>, <c>gauss_ρ</c> or <c>harder_gauss_ρ</c>.</param>
/// <param name="LatentNoise">Latent noise s ∈ [0, 1].</param>
/// <param name="Coefficients">Task-coefficient distribution (e.g. <c>binomial_gauss</c>, <c>laplace</c>, <c>block_support_2</c>).</param>
/// <param name="Inputs">Images (ConvEncoder) or a linear ground truth (MLP).</param>
/// <param name="Data">Path of a real <c>3dshapes.h5</c>; null renders the embedded data set.</param>
/// <param name="LinearDimension">Input dimension of the linear ground truth.</param>
/// <param name="EvalEvery">Steps between evaluations and checkpoints.</param>
/// <param name="EvalSamples">Uniform-grid samples of the evaluation set.</param>
/// <param name="ValidationTasks">Fixed held-out tasks whose outer loss selects the best checkpoint.</param>
/// <param name="LogEvery">Steps between log lines.</param>
/// <param name="Seed">Seed of every random draw (initialisation, tasks, evaluation set).</param>
/// <param name="Out">Run folder.</param>
public sealed record TrainOptions(
    TrainMethod Method = TrainMethod.InnerLasso,
    int Steps = 20_000,
    int Tasks = 8,
    int InnerShots = 25,
    int OuterShots = 25,
    bool Split = false,
    double LearningRate = 1e-3,
    int InnerMaxEpochs = 1_000,
    double InnerTolerance = 1e-6,
    double? LambdaRatio = null,
    double OuterPenalty = 0.1,
    int ZDim = 6,
    int Outputs = 1,
    double LabelNoise = 0.1,
    string Latents = "harder_gauss_0.9",
    double LatentNoise = 1.0,
    string Coefficients = "binomial_gauss",
    InputKind Inputs = InputKind.Images,
    string? Data = null,
    int LinearDimension = 10,
    int EvalEvery = 1_000,
    int EvalSamples = 5_000,
    int ValidationTasks = 32,
    int LogEvery = 50,
    long Seed = 0,
    string Out = "runs/train")
{
    /// <summary>The λ ratio in use: <see cref="LambdaRatio"/> or the reference's value for the method.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double EffectiveLambdaRatio => LambdaRatio ?? (Method == TrainMethod.InnerLasso ? 0.3 : 1e-7);

    /// <summary>Whether the inner problem is a Lasso (otherwise Ridge).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool SparseInner => Method == TrainMethod.InnerLasso;

    /// <summary>Throws when an option is out of range, naming it, its value and the valid range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Steps, 0, nameof(Steps));
        ArgumentOutOfRangeException.ThrowIfLessThan(Tasks, 1, nameof(Tasks));
        ArgumentOutOfRangeException.ThrowIfLessThan(InnerShots, 1, nameof(InnerShots));
        ArgumentOutOfRangeException.ThrowIfLessThan(OuterShots, Split ? 1 : 0, nameof(OuterShots));
        ArgumentOutOfRangeException.ThrowIfLessThan(InnerMaxEpochs, 1, nameof(InnerMaxEpochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(ZDim, 1, nameof(ZDim));
        ArgumentOutOfRangeException.ThrowIfLessThan(Outputs, 1, nameof(Outputs));
        ArgumentOutOfRangeException.ThrowIfLessThan(LinearDimension, 1, nameof(LinearDimension));
        ArgumentOutOfRangeException.ThrowIfLessThan(EvalEvery, 1, nameof(EvalEvery));
        ArgumentOutOfRangeException.ThrowIfLessThan(EvalSamples, 10, nameof(EvalSamples));
        ArgumentOutOfRangeException.ThrowIfLessThan(ValidationTasks, 1, nameof(ValidationTasks));
        ArgumentOutOfRangeException.ThrowIfLessThan(LogEvery, 1, nameof(LogEvery));
        Guard.Positive(LearningRate, nameof(LearningRate));
        Guard.Positive(InnerTolerance, nameof(InnerTolerance));
        Guard.Positive(EffectiveLambdaRatio, nameof(LambdaRatio));
        Guard.NonNegative(OuterPenalty, nameof(OuterPenalty));
        Guard.NonNegative(LabelNoise, nameof(LabelNoise));
        Guard.Between(LatentNoise, 0, 1, nameof(LatentNoise));
        EnsureMemory();
        if (Method == TrainMethod.InnerLasso && EffectiveLambdaRatio >= 1)
            throw new ArgumentOutOfRangeException(nameof(LambdaRatio), EffectiveLambdaRatio, "c = λ/λ_max must be in (0, 1) for the inner Lasso (c ≥ 1 gives Ŵ = 0).");
    }

    /// <summary>Input values per sample: a 64×64 RGB image, or the linear ground truth's dimension.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    internal double InputSize => Inputs == InputKind.Images ? 64.0 * 64 * 3 : LinearDimension;

    /// <summary>Rejects sizes whose arrays cannot fit in memory (coarse: inputs in float32, ×10 for activations and
    /// gradients in a step), before anything is allocated or written.</summary>
    private void EnsureMemory()
    {
        double shots = InnerShots + (Split ? OuterShots : 0);
        double step = 4.0 * 10 * InputSize * Tasks * shots;
        double validation = 4.0 * 10 * InputSize * ValidationTasks * shots;
        double evaluation = EvalSamples * (4.0 * InputSize + 8.0 * (ZDim + 12));
        // the option named is the one behind the largest share
        var (name, value, what) = step >= validation && step >= evaluation ? (nameof(Tasks), (object)Tasks, "the tasks of a step")
            : validation >= evaluation ? (nameof(ValidationTasks), ValidationTasks, "the validation tasks")
            : (nameof(EvalSamples), EvalSamples, "the evaluation set");
        MemoryBudget.Ensure(step + validation + evaluation, name, value, what);
    }
}
