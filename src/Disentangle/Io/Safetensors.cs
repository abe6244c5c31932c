using System.Buffers.Binary;
using Disentangle.Tensors;

namespace Disentangle.Io;

/// <summary>Reads and writes the safetensors format (Hugging Face): named tensors with a JSON header, no code execution.</summary>
/// <remarks>Layout: an 8-byte little-endian header length N; N bytes of UTF-8 JSON
/// <c>{"__metadata__": {string: string}, name: {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, …}</c>
/// padded with spaces to a multiple of 8; then the data buffer, little-endian, C order, offsets relative to its start.
/// The buffer must be covered exactly (no overlaps, no holes). Writes tensors ordered by element size (largest first,
/// so every tensor stays aligned, as the reference writer does) then by name (ordinal), contiguously.
/// Spec: https://github.com/huggingface/safetensors (README, "Format").</remarks>
public static class Safetensors
{
    private const long MaxHeaderLength = 100_000_000;   // the reference reader's limit

    /// <summary>Saves <paramref name="tensors"/> and <paramref name="metadata"/> to <paramref name="path"/> atomically
    /// (temporary file, flush, rename): an interrupted save leaves any previous file intact.</summary>
    /// <param name="path">Destination file; replaced if it exists.</param>
    /// <param name="tensors">Tensors by name (any non-empty string except <c>__metadata__</c>).</param>
    /// <param name="metadata">Optional string map stored under <c>__metadata__</c>.</param>
    /// <exception cref="ArgumentException">A name is empty or <c>__metadata__</c>, a tensor is null, or metadata has a null.</exception>
    public static void Save(string path, IReadOnlyDictionary<string, TensorData> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var entries = Layout(tensors);
        CheckMetadata(metadata);
        AtomicFile.Write(path, stream => Write(stream, entries, tensors, metadata));
    }

    /// <summary>Saves float32 <see cref="Tensor"/> values (not their gradients); see <see cref="Save(string, IReadOnlyDictionary{string, TensorData}, IReadOnlyDictionary{string, string}?)"/>.</summary>
    public static void SaveTensors(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        Save(path, tensors.ToDictionary(kv => kv.Key, kv => TensorData.FromTensor(kv.Value)), metadata);
    }

    /// <summary>Writes the tensors in safetensors format at the current position of <paramref name="stream"/>.</summary>
    /// <inheritdoc cref="Save(string, IReadOnlyDictionary{string, TensorData}, IReadOnlyDictionary{string, string}?)"/>
    public static void Write(Stream stream, IReadOnlyDictionary<string, TensorData> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var entries = Layout(tensors);
        CheckMetadata(metadata);
        Write(stream, entries, tensors, metadata);
    }

    /// <summary>Loads every tensor and the metadata of <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is truncated, its header length exceeds the file, the header is not
    /// valid JSON or has the wrong structure, a dtype is unknown, or offsets overlap, leave holes, fall outside the data or
    /// disagree with the shape; the message names the file and the problem.</exception>
    public static SafetensorsFile Load(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, path);
    }

    /// <summary>Loads a file whose tensors are all F32 as <see cref="Tensor"/> values (without gradients).</summary>
    /// <exception cref="InvalidDataException">As <see cref="Load"/>, or a tensor is not F32.</exception>
    public static Dictionary<string, Tensor> LoadTensors(string path)
    {
        var file = Load(path);
        var result = new Dictionary<string, Tensor>();
        foreach (var (name, data) in file.Tensors)
            result[name] = data.DataType == DataType.Float32 ? data.ToTensor()
                : throw new InvalidDataException($"{path}: tensor '{name}' is {data}; only Float32 tensors load as Tensor (use Load).");
        return result;
    }

    /// <summary>Reads a safetensors file from a seekable <paramref name="stream"/> (from its start).</summary>
    /// <param name="stream">A readable, seekable stream positioned at the header length.</param>
    /// <param name="source">Name used in error messages (a file name).</param>
    /// <inheritdoc cref="Load"/>
    public static SafetensorsFile Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek) throw new ArgumentException("The stream must be seekable.", nameof(stream));
        long start = stream.Position, available = stream.Length - start;
        if (available < 8) throw SafetensorsHeader.Error(source, $"the file has {available} bytes, fewer than the 8-byte header length");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(available - 8))
            throw SafetensorsHeader.Error(source, $"the header length {headerLength} runs beyond the end of the file ({available} bytes)");
        if (headerLength > MaxHeaderLength) throw SafetensorsHeader.Error(source, $"the header length {headerLength} exceeds {MaxHeaderLength} bytes");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        if (headerLength == 0 || header[0] != (byte)'{') throw SafetensorsHeader.Error(source, "the header does not start with '{'");
        var (entries, metadata) = SafetensorsHeader.Parse(header, source);
        ulong bufferLength = (ulong)(available - 8) - headerLength;
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        CheckCoverage(entries, bufferLength, source);

        var tensors = new Dictionary<string, TensorData>();
        foreach (var e in entries)
        {
            TensorData data;
            try { data = TensorData.Allocate(e.DataType, e.Shape); }
            catch (ArgumentException x) { throw SafetensorsHeader.Error(source, $"tensor '{e.Name}': {x.Message}", x); }
            stream.Position = start + 8 + (long)headerLength + (long)e.Begin;
            var bytes = data.WritableBytes();
            stream.ReadExactly(bytes);
            LittleEndian.ToHost(bytes, e.DataType.Size());
            LittleEndian.ValidateBools(data, $"{source}: tensor '{e.Name}'");
            tensors[e.Name] = data;
        }
        stream.Position = start + available;
        return new SafetensorsFile(tensors, metadata);
    }

    private static void CheckCoverage(List<SafetensorsEntry> sorted, ulong bufferLength, string source)
    {
        ulong expected = 0;
        SafetensorsEntry? previous = null;
        foreach (var e in sorted)
        {
            string range = $"'{e.Name}' [{e.Begin}, {e.End})";
            if (e.End < e.Begin) throw SafetensorsHeader.Error(source, $"tensor {range} ends before it begins");
            if (e.End > bufferLength) throw SafetensorsHeader.Error(source, $"tensor {range} runs beyond the {bufferLength}-byte data buffer");
            if (e.Begin < expected)
                throw SafetensorsHeader.Error(source, $"tensor {range} overlaps '{previous!.Name}' [{previous.Begin}, {previous.End})");
            if (e.Begin > expected) throw SafetensorsHeader.Error(source, $"data bytes [{expected}, {e.Begin}) belong to no tensor");
            ulong count;
            try { count = (ulong)TensorData.ElementCount(e.Shape, "shape"); }
            catch (ArgumentException x) { throw SafetensorsHeader.Error(source, $"tensor '{e.Name}': {x.Message}", x); }
            if (e.End - e.Begin != count * (ulong)e.DataType.Size())
                throw SafetensorsHeader.Error(source, $"tensor {range} holds {e.End - e.Begin} bytes but {SafetensorsHeader.DTypeName(e.DataType)} " +
                    $"{TensorData.ShapeText(e.Shape)} needs {count * (ulong)e.DataType.Size()}");
            expected = e.End;
            previous = e;
        }
        if (expected != bufferLength) throw SafetensorsHeader.Error(source, $"data bytes [{expected}, {bufferLength}) belong to no tensor");
    }

    private static List<SafetensorsEntry> Layout(IReadOnlyDictionary<string, TensorData> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var entries = new List<SafetensorsEntry>();
        ulong offset = 0;
        foreach (var (name, data) in tensors.OrderByDescending(kv => kv.Value?.DataType.Size() ?? 0).ThenBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (string.IsNullOrEmpty(name) || name == SafetensorsHeader.MetadataKey)
                throw new ArgumentException($"Tensor name '{name}' is not allowed (empty, or the reserved '{SafetensorsHeader.MetadataKey}').", nameof(tensors));
            if (data is null) throw new ArgumentException($"Tensor '{name}' is null.", nameof(tensors));
            ulong size = (ulong)data.Length * (ulong)data.DataType.Size();
            entries.Add(new SafetensorsEntry(name, data.DataType, data.Shape, offset, offset + size));
            offset += size;
        }
        return entries;
    }

    private static void CheckMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null) return;
        foreach (var (key, value) in metadata)
            if (key is null || value is null) throw new ArgumentException($"Metadata entry '{key}' has a null key or value.", nameof(metadata));
    }

    private static void Write(Stream stream, List<SafetensorsEntry> entries, IReadOnlyDictionary<string, TensorData> tensors,
        IReadOnlyDictionary<string, string>? metadata)
    {
        byte[] header = SafetensorsHeader.Format(entries, metadata);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (var e in entries) stream.Write(LittleEndian.Bytes(tensors[e.Name]));
    }
}
