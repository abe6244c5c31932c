using Disentangle.Io;
using Disentangle.Tensors;

namespace Disentangle.Optim;

/// <summary>A first-order optimizer that updates a fixed list of parameters in place from their gradients.</summary>
public interface IOptimizer
{
    /// <summary>The parameters, in the order their state is indexed.</summary>
    IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The learning rate used by the next <see cref="Step"/>; set it from an <see cref="ILearningRateSchedule"/>.</summary>
    double LearningRate { get; set; }

    /// <summary>Number of <see cref="Step"/> calls so far (restored by <see cref="ImportState"/>).</summary>
    long StepCount { get; }

    /// <summary>Updates every parameter that has a gradient; parameters whose <see cref="Tensor.Grad"/> is null are skipped.</summary>
    void Step();

    /// <summary>Clears the gradient of every parameter.</summary>
    void ZeroGrad();

    /// <summary>A snapshot (copied) of the optimizer state as named tensors, for checkpoints.</summary>
    /// <remarks>Keys: <c>step_count</c> (Int64 scalar), <c>learning_rate</c> (Float64 scalar), and per parameter
    /// <c>i</c> with state: <c>{i}.{buffer}</c> (Float32, the parameter's shape) and optimizer-specific scalars.</remarks>
    IReadOnlyDictionary<string, TensorData> ExportState();

    /// <summary>Replaces the state by a snapshot from <see cref="ExportState"/> of an optimizer of the same kind over
    /// parameters of the same shapes; the following steps then continue bitwise as the original would have.</summary>
    /// <exception cref="ArgumentException">A key is missing or unknown, or a type or shape does not match.</exception>
    void ImportState(IReadOnlyDictionary<string, TensorData> state);
}
