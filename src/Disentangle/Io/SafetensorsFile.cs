namespace Disentangle.Io;

/// <summary>The contents of a safetensors file: named tensors and the free-form string metadata.</summary>
/// <param name="Tensors">Tensors by name, in file (offset) order.</param>
/// <param name="Metadata">The <c>__metadata__</c> string map (empty when the file has none).</param>
public sealed record SafetensorsFile(IReadOnlyDictionary<string, TensorData> Tensors, IReadOnlyDictionary<string, string> Metadata);
