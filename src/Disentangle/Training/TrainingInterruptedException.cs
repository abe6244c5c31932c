namespace Disentangle.Training;

/// <summary>Training was asked to stop (a stop signal) and ended at a step boundary before its last step; the run's
/// checkpoint holds that step, and <c>--resume</c> continues from it bit for bit.</summary>
/// <param name="step">Steps done (the checkpoint's step).</param>
/// <param name="steps">Steps the run was to train.</param>
public sealed class TrainingInterruptedException(long step, long steps)
    : Exception($"interrupted at step {step} of {steps}; resume with --resume")
{
    /// <summary>Steps done: the step the checkpoint holds.</summary>
    public long Step { get; } = step;

    /// <summary>Steps the run was to train.</summary>
    public long Steps { get; } = steps;
}
