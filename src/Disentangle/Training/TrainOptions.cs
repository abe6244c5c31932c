using Disentangle.Data;
using Disentangle.Data.Latents;
using Disentangle.Data.Tasks;
using Disentangle.Nn;

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
    /// <summary>Inner Ridge, outer loss <c>½·MSE + c_out·λ_max·Σ|Ŵ|</c> with λ_max of the outer rows, gradient stopped
    /// (Section B.3, Figure 10; the released code's <c>outer_l1reg</c>).</summary>
    OuterL1,
    /// <summary>Inner Ridge, outer loss <c>½·MSE + ½·c_out·(‖X_out‖²_F/n)·ΣŴ²</c> (the released code's <c>outer_l2reg</c>):
    /// Figure 10's baseline, evaluated with and without ICA (<c>evaluate --ica</c>).</summary>
    OuterL2,
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
/// <param name="LambdaRatio">c: λ = c·λ_max (Lasso) or c·‖X‖²_F/n (Ridge), on the paper's grid {0, 0.01, 0.03, 0.1, 0.3, 1};
/// null takes 0.3 for the Lasso (the reference's headline run) and 1e-7 for Ridge (practically unregularised least
/// squares; the reference has no single Ridge value: its figures sweep c over the grid). For the Lasso, c = 0 is least
/// squares (solved as Ridge with λ = 0, as the reference does when its l1reg is 0) and c = 1 gives Ŵ = 0.</param>
/// <param name="OuterPenalty">c_out of the outer-L1 / outer-L2 methods: the penalty weight relative to its stopped-gradient
/// scale (λ_max of the outer rows, or ‖X_out‖²_F/n); Figure 10 sweeps it on a grid.</param>
/// <param name="ZDim">Dimension of the learned representation; null takes the data's factor count d (6 for 3D Shapes), and the
/// run records the value it used.</param>
/// <param name="Outputs">Outputs k per task (k &gt; 1 makes the inner problem a group Lasso).</param>
/// <param name="LabelNoise">σ: label noise relative to the signal norm.</param>
/// <param name="Latents">Latent distribution: <c>uniform</c>, <c>gauss_ρ</c> or <c>harder_gauss_ρ</c>.</param>
/// <param name="LatentNoise">Latent noise s ∈ [0, 1].</param>
/// <param name="Coefficients">Task-coefficient distribution (e.g. <c>binomial_gauss</c>, <c>laplace</c>, <c>block_support_2</c>).</param>
/// <param name="Inputs">Images (ConvEncoder) or a linear ground truth (MLP).</param>
/// <param name="Data">Path of a real <c>3dshapes.h5</c>, or of a user's HDF5 or NPZ file with <c>images</c> and <c>factors</c>
/// (docs/own-data.md); null renders the embedded data set.</param>
/// <param name="LinearDimension">Input dimension of the linear ground truth.</param>
/// <param name="EvalEvery">Steps between evaluations and checkpoints.</param>
/// <param name="EvalSamples">Uniform-grid samples of the evaluation set.</param>
/// <param name="ValidationTasks">Fixed held-out tasks whose outer loss selects the best checkpoint (the reference: 1,000,
/// as 100 batches of 10; drawn batch by batch at each evaluation, so memory stays that of one batch).</param>
/// <param name="LogEvery">Steps between log lines.</param>
/// <param name="Seed">Seed of every random draw (initialisation, tasks, evaluation set).</param>
/// <param name="Out">Run folder.</param>
/// <param name="Threads">Threads of OpenBLAS, oneDNN and parallel loops; null: the process policy
/// (<see cref="Tensors.Parallelism.MaxThreads"/>). The run records the value it used and a resumed run keeps it.</param>
/// <param name="LatentNoiseImages">With latent noise, each grid point keeps its image (the paper) or, with the embedded renderer,
/// shows the image rendered at its perturbed latent.</param>
/// <param name="BatchNormStatistics">The encoder's batch-norm statistics per task (the released code's vmap over tasks) or over
/// the whole batch.</param>
/// <param name="Initialisation">Haiku's default initialisation (the released code) or PyTorch's.</param>
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
    int? ZDim = null,
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
    int ValidationTasks = 1_000,
    int LogEvery = 50,
    long Seed = 0,
    string Out = "runs/train",
    int? Threads = null,
    LatentNoiseImages LatentNoiseImages = LatentNoiseImages.GridPoint,
    BatchNormStatistics BatchNormStatistics = BatchNormStatistics.PerTask,
    Initialisation Initialisation = Initialisation.Haiku)
{
    /// <summary>The λ ratio in use: <see cref="LambdaRatio"/> or the reference's value for the method.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double EffectiveLambdaRatio => LambdaRatio ?? (Method == TrainMethod.InnerLasso ? 0.3 : 1e-7);

    /// <summary>Whether the inner problem is a Lasso (otherwise Ridge; an inner Lasso with c = 0 is least squares, solved as Ridge with λ = 0).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool SparseInner => Method == TrainMethod.InnerLasso && EffectiveLambdaRatio > 0;

    /// <summary>Whether the outer loss carries the penalty <see cref="OuterPenalty"/> (outer-l1, outer-l2): then c_out, not
    /// the inner ridge's fixed λ ratio, is the run's c.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool PenalisesOuter => Method is TrainMethod.OuterL1 or TrainMethod.OuterL2;

    /// <summary>Throws when an option is out of range, naming it, its value and the valid range.</summary>
    /// <param name="images">The data's image layout, once the data are open: the memory check uses it. Without it, the
    /// check runs only when the layout is known (the embedded 3D Shapes, or linear inputs).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate(ImageShape? images = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Steps, 0, nameof(Steps));
        ArgumentOutOfRangeException.ThrowIfLessThan(Tasks, 1, nameof(Tasks));
        ArgumentOutOfRangeException.ThrowIfLessThan(InnerShots, 1, nameof(InnerShots));
        ArgumentOutOfRangeException.ThrowIfLessThan(OuterShots, Split ? 1 : 0, nameof(OuterShots));
        ArgumentOutOfRangeException.ThrowIfLessThan(InnerMaxEpochs, 1, nameof(InnerMaxEpochs));
        if (ZDim is < 1) throw new ArgumentOutOfRangeException(nameof(ZDim), ZDim, "ZDim must be at least 1.");
        ArgumentOutOfRangeException.ThrowIfLessThan(Outputs, 1, nameof(Outputs));
        ArgumentOutOfRangeException.ThrowIfLessThan(LinearDimension, 1, nameof(LinearDimension));
        ArgumentOutOfRangeException.ThrowIfLessThan(EvalEvery, 1, nameof(EvalEvery));
        ArgumentOutOfRangeException.ThrowIfLessThan(EvalSamples, 10, nameof(EvalSamples));
        ArgumentOutOfRangeException.ThrowIfLessThan(ValidationTasks, 1, nameof(ValidationTasks));
        ArgumentOutOfRangeException.ThrowIfLessThan(LogEvery, 1, nameof(LogEvery));
        if (Threads is < 1) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "threads must be at least 1.");
        Guard.Positive(LearningRate, nameof(LearningRate));
        Guard.Positive(InnerTolerance, nameof(InnerTolerance));
        Guard.NonNegative(EffectiveLambdaRatio, nameof(LambdaRatio));
        Guard.NonNegative(OuterPenalty, nameof(OuterPenalty));
        Guard.NonNegative(LabelNoise, nameof(LabelNoise));
        Guard.Between(LatentNoise, 0, 1, nameof(LatentNoise));
        if (images is { } shape) EnsureMemory(InputSizeFor(shape));
        else if (Inputs == InputKind.Linear || string.IsNullOrEmpty(Data)) EnsureMemory(InputSizeFor(ImageShape.Shapes3D));
        if (Method == TrainMethod.InnerLasso && EffectiveLambdaRatio > 1)
            throw new ArgumentOutOfRangeException(nameof(LambdaRatio), EffectiveLambdaRatio, "c = λ/λ_max must be in [0, 1] for the inner Lasso (c ≥ 1 gives Ŵ = 0).");
    }

    /// <summary>Input values per sample: an image of <paramref name="images"/>, or the linear ground truth's dimension.</summary>
    internal double InputSizeFor(ImageShape images) => Inputs == InputKind.Images ? images.Bytes : LinearDimension;

    /// <summary>Rejects sizes whose arrays cannot fit in memory (coarse: inputs in float32, ×10 for activations and
    /// gradients in a step), before anything is allocated or written.</summary>
    private void EnsureMemory(double inputSize)
    {
        double shots = InnerShots + (Split ? OuterShots : 0);
        double step = 4.0 * 10 * inputSize * Tasks * shots;
        double validation = 4.0 * 10 * inputSize * ValidationTasks * shots;
        double evaluation = EvalSamples * (4.0 * inputSize + 8.0 * ((ZDim ?? 6) + 12));
        // the option named is the one behind the largest share
        var (name, value, what) = step >= validation && step >= evaluation ? (nameof(Tasks), (object)Tasks, "the tasks of a step")
            : validation >= evaluation ? (nameof(ValidationTasks), ValidationTasks, "the validation tasks")
            : (nameof(EvalSamples), EvalSamples, "the evaluation set");
        MemoryBudget.Ensure(step + validation + evaluation, name, value, what);
    }
}
