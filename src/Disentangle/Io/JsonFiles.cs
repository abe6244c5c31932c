using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Disentangle.Io;

/// <summary>The one JSON convention of the library: every config, result and summary file is read and written here.</summary>
/// <remarks>Property names camelCase; enums as kebab-case strings (<c>inner-lasso</c>, as on the command line), integers
/// refused; non-ASCII kept readable (λ, not \u03BB). <b>Non-finite floats</b> are written as the strings <c>"NaN"</c>,
/// <c>"Infinity"</c>, <c>"-Infinity"</c> (System.Text.Json's named literals) so they round-trip exactly instead of
/// turning into null; Python's <c>float(x)</c> parses them. Reading accepts comments and trailing commas (hand-edited
/// configs), requires non-optional constructor parameters, and rejects nulls for non-nullable members. Every write is
/// atomic (temporary file, flush, rename).</remarks>
public static class JsonFiles
{
    /// <summary>The serializer options of every JSON file (shared, read-only).</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>The indented JSON text of <paramref name="value"/>.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>An enum value as every file spells it (kebab case, e.g. <c>projected-gradient</c>), by the same converter
    /// that writes and reads the files.</summary>
    public static string Name(Enum value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return JsonSerializer.Serialize(value, value.GetType(), Options).Trim('"');
    }

    /// <summary>Parses <paramref name="json"/> into a <typeparamref name="T"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">Where the text came from, for error messages.</param>
    /// <exception cref="InvalidDataException">Invalid JSON, a type mismatch, a missing required member or a null root;
    /// the message names <paramref name="source"/> and the position.</exception>
    public static T Deserialize<T>(string json, string source = "JSON text")
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options)
                ?? throw new InvalidDataException($"{source}: the JSON document is null; expected a {typeof(T).Name}.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: cannot read a {typeof(T).Name} (line {e.LineNumber + 1}, byte {e.BytePositionInLine}): {e.Message}", e);
        }
    }

    /// <summary>Writes <paramref name="value"/> as indented JSON to <paramref name="path"/> atomically (temporary file + rename).</summary>
    public static void Write<T>(string path, T value) => AtomicFile.Write(path, stream =>
    {
        JsonSerializer.Serialize(stream, value, Options);
        stream.WriteByte((byte)'\n');
    });

    /// <summary>Writes a JSON document as indented JSON to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, JsonNode node) => AtomicFile.Write(path, stream =>
    {
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = Options.Encoder }))
            node.WriteTo(writer, Options);
        stream.WriteByte((byte)'\n');
    });

    /// <summary>Reads a <typeparamref name="T"/> from the JSON file <paramref name="path"/>.</summary>
    /// <inheritdoc cref="Deserialize{T}(string, string)"/>
    public static T Read<T>(string path) => Deserialize<T>(File.ReadAllText(path), path);

    /// <summary>Reads the JSON object in <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not valid JSON or does not hold an object.</exception>
    public static JsonObject ReadObject(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"'{path}' does not exist.", path);
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new InvalidDataException($"'{path}' is not valid JSON: {e.Message}", e); }
        return node as JsonObject ?? throw new InvalidDataException($"'{path}' must hold a JSON object, not {node?.GetValueKind().ToString() ?? "nothing"}.");
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = null,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            IncludeFields = false,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
