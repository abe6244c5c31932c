using Disentangle.Tensors;

namespace Disentangle.Io;

/// <summary>Everything needed to resume training bitwise: model tensors, optimizer state, random generator states,
/// the step counter and the run configuration.</summary>
/// <param name="Parameters">Trainable tensors by name (e.g. <c>encoder.conv1.weight</c>); values only, no gradients.</param>
/// <param name="Buffers">Non-trainable tensors by name (e.g. batch-norm running statistics).</param>
/// <param name="OptimizerState">The optimizer's <c>ExportState()</c> snapshot.</param>
/// <param name="RandomStates">States of the run's <see cref="SeededRandom"/> generators by name (<c>GetState()</c>, 4 words each).</param>
/// <param name="Step">The training step counter.</param>
/// <param name="ConfigJson">The run configuration as a JSON document (e.g. <see cref="JsonFiles.Serialize{T}"/> of the options record).</param>
/// <param name="RunState">Further state that must commit with the tensors as one unit (feature-usage counts, the log's
/// length, the best validation loss), as text by key; stored in the metadata as <c>run.{key}</c>. Null: none.</param>
public sealed record CheckpointState(
    IReadOnlyDictionary<string, Tensor> Parameters,
    IReadOnlyDictionary<string, Tensor> Buffers,
    IReadOnlyDictionary<string, TensorData> OptimizerState,
    IReadOnlyDictionary<string, ulong[]> RandomStates,
    long Step,
    string ConfigJson,
    IReadOnlyDictionary<string, string>? RunState = null);
