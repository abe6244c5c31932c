namespace Disentangle.Optim;

/// <summary>A learning rate as a function of the step (or epoch) index; set <see cref="IOptimizer.LearningRate"/> from it.</summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate for step (or epoch) <paramref name="stepOrEpoch"/>, counted from 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stepOrEpoch"/> is negative.</exception>
    double Rate(int stepOrEpoch);
}
