using Disentangle.Io;
using Disentangle.Tensors;

namespace Disentangle.Optim;

/// <summary>Reads entries of an optimizer state snapshot, checking types and shapes and tracking which keys were used.</summary>
public sealed class StateReader
{
    private readonly IReadOnlyDictionary<string, TensorData> _state;
    private readonly IReadOnlyList<Tensor> _parameters;
    private readonly HashSet<string> _used = [];

    internal StateReader(IReadOnlyDictionary<string, TensorData> state, IReadOnlyList<Tensor> parameters)
    {
        _state = state;
        _parameters = parameters;
    }

    /// <summary>The single value stored under <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The key is missing, not of type <typeparamref name="T"/>, or not one element.</exception>
    public T Scalar<T>(string key) where T : unmanaged =>
        TryScalar<T>(key, out T value) ? value : throw new ArgumentException($"Optimizer state has no '{key}' entry.", "state");

    /// <summary>Reads the single value under <paramref name="key"/> if present.</summary>
    /// <exception cref="ArgumentException">The entry is not one element of type <typeparamref name="T"/>.</exception>
    public bool TryScalar<T>(string key, out T value) where T : unmanaged
    {
        value = default;
        if (!_state.TryGetValue(key, out var data)) return false;
        _used.Add(key);
        if (data.DataType != DataTypes.Of<T>() || data.Length != 1)
            throw new ArgumentException($"Optimizer state '{key}' is {data}; expected one {DataTypes.Of<T>()} value.", "state");
        value = data.As<T>()[0];
        return true;
    }

    /// <summary>A copy of the Float32 buffer under <paramref name="key"/>, which must have parameter
    /// <paramref name="index"/>'s shape; null if absent.</summary>
    /// <exception cref="ArgumentException">The entry's type or shape differs from the parameter's.</exception>
    public float[]? Buffer(string key, int index)
    {
        if (!_state.TryGetValue(key, out var data)) return null;
        _used.Add(key);
        var shape = _parameters[index].Shape;
        if (data.DataType != DataType.Float32 || !data.Shape.AsSpan().SequenceEqual(shape))
            throw new ArgumentException($"Optimizer state '{key}' is {data}; parameter {index} needs Float32 {TensorData.ShapeText(shape)}.", "state");
        return (float[])data.As<float>().Clone();
    }

    internal void ThrowOnUnusedKeys()
    {
        var unknown = _state.Keys.Where(k => !_used.Contains(k)).Order(StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"Optimizer state has unknown entries: {string.Join(", ", unknown.Select(k => $"'{k}'"))} " +
                "(state of another optimizer kind, or of more parameters?).", "state");
    }
}
