using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Disentangle.Io;

/// <summary>One tensor's header entry: name, element type, shape and byte range in the data buffer.</summary>
internal sealed record SafetensorsEntry(string Name, DataType DataType, int[] Shape, ulong Begin, ulong End);

/// <summary>Formats and parses the JSON header of a safetensors file.</summary>
internal static class SafetensorsHeader
{
    public const string MetadataKey = "__metadata__";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string DTypeName(DataType type) => type switch
    {
        DataType.Float32 => "F32",
        DataType.Float64 => "F64",
        DataType.Int64 => "I64",
        DataType.Int32 => "I32",
        DataType.UInt8 => "U8",
        DataType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown data type."),
    };

    private static DataType? ParseDType(string name) => name switch
    {
        "F32" => DataType.Float32,
        "F64" => DataType.Float64,
        "I64" => DataType.Int64,
        "I32" => DataType.Int32,
        "U8" => DataType.UInt8,
        "BOOL" => DataType.Bool,
        _ => null,
    };

    /// <summary>The UTF-8 JSON header, padded with spaces to a multiple of 8 bytes.</summary>
    public static byte[] Format(IReadOnlyList<SafetensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)) json.WriteString(key, value);
                json.WriteEndObject();
            }
            foreach (var e in entries)
            {
                json.WriteStartObject(e.Name);
                json.WriteString("dtype", DTypeName(e.DataType));
                json.WriteStartArray("shape");
                foreach (int d in e.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(e.Begin);
                json.WriteNumberValue(e.End);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        int length = (int)buffer.Length;
        buffer.Write(Encoding.ASCII.GetBytes(new string(' ', (8 - length % 8) % 8)));
        return buffer.ToArray();
    }

    /// <summary>Parses the header into entries (in header order) and metadata; <paramref name="source"/> names the file.</summary>
    /// <exception cref="InvalidDataException">Bad JSON, wrong structure, duplicate names or an unsupported dtype.</exception>
    public static (List<SafetensorsEntry> Entries, Dictionary<string, string> Metadata) Parse(ReadOnlyMemory<byte> header, string source)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 16 }); }
        catch (JsonException e) { throw Error(source, $"the header is not valid JSON ({e.Message})", e); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Error(source, $"the header is a JSON {root.ValueKind}, not an object");
            var entries = new List<SafetensorsEntry>();
            var metadata = new Dictionary<string, string>();
            var names = new HashSet<string>();
            foreach (var property in root.EnumerateObject())
            {
                if (!names.Add(property.Name)) throw Error(source, $"the header lists '{property.Name}' twice");
                if (property.Name == MetadataKey) ReadMetadata(property.Value, metadata, source);
                else entries.Add(ReadEntry(property.Name, property.Value, source));
            }
            return (entries, metadata);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string source)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Error(source, $"'{MetadataKey}' is a JSON {value.ValueKind}, not an object of strings");
        foreach (var p in value.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String) throw Error(source, $"metadata '{p.Name}' is a JSON {p.Value.ValueKind}, not a string");
            if (!metadata.TryAdd(p.Name, p.Value.GetString()!)) throw Error(source, $"metadata '{p.Name}' appears twice");
        }
    }

    private static SafetensorsEntry ReadEntry(string name, JsonElement value, string source)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Error(source, $"tensor '{name}' is a JSON {value.ValueKind}, not an object");
        if (!value.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String)
            throw Error(source, $"tensor '{name}' has no string \"dtype\"");
        var type = ParseDType(dtype.GetString()!) ?? throw Error(source,
            $"tensor '{name}' has unsupported dtype '{dtype.GetString()}' (supported: F32, F64, I64, I32, U8, BOOL)");
        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw Error(source, $"tensor '{name}' has no \"shape\" array");
        var shape = new int[shapeElement.GetArrayLength()];
        int i = 0;
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int dim) || dim < 0)
                throw Error(source, $"tensor '{name}' has shape entry {d.GetRawText()}, not a non-negative 32-bit integer");
            shape[i++] = dim;
        }
        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2
            || !TryOffset(offsets[0], out ulong begin) || !TryOffset(offsets[1], out ulong end))
            throw Error(source, $"tensor '{name}' needs \"data_offsets\": [begin, end] of non-negative integers");
        return new SafetensorsEntry(name, type, shape, begin, end);
    }

    private static bool TryOffset(JsonElement e, out ulong value)
    {
        value = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out value);
    }

    public static InvalidDataException Error(string source, string problem, Exception? inner = null) =>
        new($"{source}: invalid safetensors file: {problem}.", inner);
}
