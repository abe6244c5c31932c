using Disentangle.Tensors;

namespace Disentangle.Nn;

/// <summary>Batch normalisation over the channel axis; <see cref="BatchNorm1d"/> for (N, C), <see cref="BatchNorm2d"/> for (N, C, H, W).</summary>
/// <remarks>Training: normalise with the batch statistics and update the buffers <c>running_mean</c>, <c>running_var</c>
/// (unbiased) with <see cref="Momentum"/>; evaluation: normalise with the running statistics. With <c>affine</c>, learned
/// <c>weight</c> (γ, init 1) and <c>bias</c> (β, init 0); without, none (the encoder's normalisation). See
/// <see cref="Tensor.BatchNorm"/> for the equations.</remarks>
public abstract class BatchNorm : Module
{
    private readonly int rank;

    /// <summary>Creates the layer for <paramref name="features"/> channels and inputs of rank <paramref name="rank"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Features not positive, momentum outside [0, 1], or epsilon not positive.</exception>
    private protected BatchNorm(int features, int rank, bool affine, float momentum, float epsilon)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        if (momentum is < 0f or > 1f) throw new ArgumentOutOfRangeException(nameof(momentum), $"BatchNorm: momentum {momentum} must be in [0, 1].");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);
        this.rank = rank;
        Features = features;
        Momentum = momentum;
        Epsilon = epsilon;
        if (affine)
        {
            Scale = RegisterParameter("weight", Tensor.Full([features], 1f));
            Offset = RegisterParameter("bias", Tensor.Zeros([features]));
        }
        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([features]));
        RunningVar = RegisterBuffer("running_var", Tensor.Full([features], 1f));
    }

    /// <summary>Number of channels C.</summary>
    public int Features { get; }

    /// <summary>Weight of the new batch statistic in the running average (0.1 = decay 0.9).</summary>
    public float Momentum { get; }

    /// <summary>ε added to the variance.</summary>
    public float Epsilon { get; }

    /// <summary>γ, or null without affine parameters.</summary>
    public Tensor? Scale { get; }

    /// <summary>β, or null without affine parameters.</summary>
    public Tensor? Offset { get; }

    /// <summary>Running mean per channel (buffer).</summary>
    public Tensor RunningMean { get; }

    /// <summary>Running unbiased variance per channel (buffer).</summary>
    public Tensor RunningVar { get; }

    /// <summary>When set (on a <see cref="BatchNorm1d"/>), training-mode statistics are computed per segment of consecutive
    /// rows (one task's samples each), as the released code's batch norm mapped over tasks; null: over the whole batch.
    /// Evaluation mode uses the running statistics either way. See <see cref="Tensor.SegmentBatchNorm"/>.</summary>
    /// <exception cref="InvalidOperationException">Set on a <see cref="BatchNorm2d"/>.</exception>
    public IReadOnlyList<int>? Segments
    {
        get => segments;
        set
        {
            if (value is not null && rank != 2) throw new InvalidOperationException($"{GetType().Name}: statistics per segment are for (N, C) features only.");
            segments = value is null ? null : [.. value];
        }
    }

    private int[]? segments;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != rank || input.Shape[1] != Features)
            throw new ArgumentException($"{GetType().Name}: input {Tensor.Format(input.Shape)} must be {(rank == 2 ? "(N, C)" : "(N, C, H, W)")} with C = {Features}.", nameof(input));
        if (Training && segments is not null)
            return input.SegmentBatchNorm(segments, Scale, Offset, RunningMean.Data, RunningVar.Data, Momentum, Epsilon);
        return input.BatchNorm(Scale, Offset, RunningMean.Data, RunningVar.Data, Training, Momentum, Epsilon);
    }
}

/// <summary>Batch normalisation of (N, C) features.</summary>
public sealed class BatchNorm1d(int features, bool affine = true, float momentum = 0.1f, float epsilon = 1e-5f)
    : BatchNorm(features, 2, affine, momentum, epsilon);

/// <summary>Batch normalisation of (N, C, H, W) maps, per channel.</summary>
public sealed class BatchNorm2d(int features, bool affine = true, float momentum = 0.1f, float epsilon = 1e-5f)
    : BatchNorm(features, 4, affine, momentum, epsilon)
{
    /// <summary>2×2 max pooling of ReLU(<see cref="BatchNorm.Forward"/>(input)) as one op (<see cref="Tensor.BatchNormReluMaxPool"/>):
    /// the same values as the three layers in turn, in one pass (a Conv-4 block after its convolution).</summary>
    /// <exception cref="ArgumentException">The input is not (N, C, H, W) with C = <see cref="BatchNorm.Features"/> and H, W ≥ 2.</exception>
    public Tensor ForwardReluMaxPool(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[1] != Features)
            throw new ArgumentException($"{nameof(BatchNorm2d)}: input {Tensor.Format(input.Shape)} must be (N, C, H, W) with C = {Features}.", nameof(input));
        return input.BatchNormReluMaxPool(Scale, Offset, RunningMean.Data, RunningVar.Data, Training, Momentum, Epsilon);
    }
}
