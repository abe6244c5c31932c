using System.Text.Json;
using Disentangle.Tensors;

namespace Disentangle.Io;

/// <summary>Saves and loads a <see cref="CheckpointState"/> as one safetensors file, atomically.</summary>
/// <remarks>Tensor names: <c>parameters/{name}</c>, <c>buffers/{name}</c> (F32), <c>optimizer/{key}</c> (as exported),
/// <c>random/{name}</c> (I64 [4], the generator words' bits), <c>step</c> (I64 scalar). Metadata:
/// <c>disentangle.format = checkpoint</c>, <c>disentangle.version = 1</c>, <c>config</c> = the JSON configuration,
/// <c>run.{key}</c> = <see cref="CheckpointState.RunState"/>.
/// Any safetensors reader can open the file; float values are stored bit for bit.</remarks>
public static class Checkpoint
{
    private const string FormatKey = "disentangle.format", FormatValue = "checkpoint";
    private const string VersionKey = "disentangle.version", VersionValue = "1", ConfigKey = "config";
    private const string ParameterPrefix = "parameters/", BufferPrefix = "buffers/", OptimizerPrefix = "optimizer/";
    private const string RandomPrefix = "random/", StepName = "step", RunStatePrefix = "run.";

    /// <summary>Writes <paramref name="state"/> to <paramref name="path"/> (temporary file, flush, rename: a crash
    /// during the save leaves the previous checkpoint intact).</summary>
    /// <exception cref="ArgumentException">The configuration is not valid JSON, a random state does not have 4 words,
    /// or a name is empty.</exception>
    public static void Save(string path, CheckpointState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        try { using var _ = JsonDocument.Parse(state.ConfigJson ?? ""); }
        catch (JsonException e) { throw new ArgumentException($"The checkpoint configuration is not valid JSON: {e.Message}", nameof(state), e); }
        var tensors = new Dictionary<string, TensorData>();
        Add(tensors, ParameterPrefix, state.Parameters, TensorData.FromTensor);
        Add(tensors, BufferPrefix, state.Buffers, TensorData.FromTensor);
        Add(tensors, OptimizerPrefix, state.OptimizerState, d => d);
        Add(tensors, RandomPrefix, state.RandomStates, words => words.Length == SeededRandom.StateLength
            ? TensorData.Create(Array.ConvertAll(words, w => unchecked((long)w)), [SeededRandom.StateLength])
            : throw new ArgumentException($"A random state has {SeededRandom.StateLength} words, not {words.Length}.", nameof(state)));
        tensors[StepName] = TensorData.Scalar(state.Step);
        var metadata = new Dictionary<string, string> { [FormatKey] = FormatValue, [VersionKey] = VersionValue, [ConfigKey] = state.ConfigJson! };
        foreach (var (key, value) in state.RunState ?? new Dictionary<string, string>()) metadata[RunStatePrefix + key] = value;
        Safetensors.Save(path, tensors, metadata);
    }

    /// <summary>Reads a checkpoint written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file, not a version-1 checkpoint, or an
    /// entry has an unexpected name, type or shape; the message names the file and the entry.</exception>
    public static CheckpointState Load(string path)
    {
        var file = Safetensors.Load(path);
        if (!file.Metadata.TryGetValue(FormatKey, out var format) || format != FormatValue)
            throw new InvalidDataException($"{path}: not a Disentangle checkpoint (metadata '{FormatKey}' is missing).");
        if (!file.Metadata.TryGetValue(VersionKey, out var version) || version != VersionValue)
            throw new InvalidDataException($"{path}: checkpoint version '{version}' is not supported (expected {VersionValue}).");
        string config = file.Metadata.TryGetValue(ConfigKey, out var c) ? c : throw new InvalidDataException($"{path}: the checkpoint has no '{ConfigKey}' metadata.");

        var parameters = new Dictionary<string, Tensor>();
        var buffers = new Dictionary<string, Tensor>();
        var optimizer = new Dictionary<string, TensorData>();
        var random = new Dictionary<string, ulong[]>();
        long? step = null;
        foreach (var (name, data) in file.Tensors)
        {
            if (name == StepName) step = data.DataType == DataType.Int64 && data.Shape.Length == 0 ? data.ScalarValue<long>() : throw Entry(path, name, data, "an Int64 scalar");
            else if (name.StartsWith(ParameterPrefix, StringComparison.Ordinal)) parameters[name[ParameterPrefix.Length..]] = AsTensor(path, name, data);
            else if (name.StartsWith(BufferPrefix, StringComparison.Ordinal)) buffers[name[BufferPrefix.Length..]] = AsTensor(path, name, data);
            else if (name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)) optimizer[name[OptimizerPrefix.Length..]] = data;
            else if (name.StartsWith(RandomPrefix, StringComparison.Ordinal))
                random[name[RandomPrefix.Length..]] = data.DataType == DataType.Int64 && data.Shape is [SeededRandom.StateLength]
                    ? Array.ConvertAll(data.As<long>(), w => unchecked((ulong)w)) : throw Entry(path, name, data, $"Int64 [{SeededRandom.StateLength}]");
            else throw new InvalidDataException($"{path}: unexpected checkpoint entry '{name}'.");
        }
        var runState = file.Metadata.Where(m => m.Key.StartsWith(RunStatePrefix, StringComparison.Ordinal))
            .ToDictionary(m => m.Key[RunStatePrefix.Length..], m => m.Value);
        return new CheckpointState(parameters, buffers, optimizer, random,
            step ?? throw new InvalidDataException($"{path}: the checkpoint has no '{StepName}' entry."), config, runState);
    }

    /// <summary>Copies saved values into live tensors (a model's parameters or buffers), after checking that the names
    /// match one to one and every shape agrees; nothing is copied if any check fails.</summary>
    /// <param name="saved">Tensors from <see cref="CheckpointState.Parameters"/> or <see cref="CheckpointState.Buffers"/>.</param>
    /// <param name="target">The live tensors by name, e.g. <c>module.NamedParameters()</c>.</param>
    /// <param name="what">What is restored, for messages ("parameters", "buffers").</param>
    /// <exception cref="InvalidDataException">Missing, unexpected or differently shaped entries (all listed).</exception>
    public static void CopyInto(IReadOnlyDictionary<string, Tensor> saved, IEnumerable<(string Name, Tensor Value)> target, string what)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(target);
        var live = target.ToList();
        var problems = new List<string>();
        var names = new HashSet<string>();
        foreach (var (name, tensor) in live)
        {
            if (!names.Add(name)) problems.Add($"'{name}' is listed twice in the model");
            else if (!saved.TryGetValue(name, out var s)) problems.Add($"'{name}' is missing from the checkpoint");
            else if (!s.Shape.AsSpan().SequenceEqual(tensor.Shape))
                problems.Add($"'{name}' is {TensorData.ShapeText(s.Shape)} in the checkpoint but {TensorData.ShapeText(tensor.Shape)} in the model");
        }
        problems.AddRange(saved.Keys.Where(k => !names.Contains(k)).Order(StringComparer.Ordinal).Select(k => $"'{k}' is in the checkpoint but not in the model"));
        if (problems.Count > 0)
            throw new InvalidDataException($"Checkpoint {what} do not match the model: {string.Join("; ", problems)}.");
        foreach (var (name, tensor) in live) saved[name].Data.CopyTo(tensor.Data, 0);
    }

    private static void Add<T>(Dictionary<string, TensorData> into, string prefix, IReadOnlyDictionary<string, T> items, Func<T, TensorData> convert)
    {
        ArgumentNullException.ThrowIfNull(items, prefix.TrimEnd('/'));
        foreach (var (name, value) in items)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException($"A name under '{prefix}' is empty.", nameof(items));
            into[prefix + name] = convert(value ?? throw new ArgumentException($"'{prefix}{name}' is null.", nameof(items)));
        }
    }

    private static Tensor AsTensor(string path, string name, TensorData data) =>
        data.DataType == DataType.Float32 ? data.ToTensor() : throw Entry(path, name, data, "Float32");

    private static InvalidDataException Entry(string path, string name, TensorData data, string expected) =>
        new($"{path}: checkpoint entry '{name}' is {data}; expected {expected}.");
}
