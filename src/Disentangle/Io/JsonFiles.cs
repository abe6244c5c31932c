using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Disentangle.Io;

/// <summary>Reads and writes records as indented JSON files with System.Text.Json (configs, results, summaries).</summary>
/// <remarks>Conventions: property names camelCase or as declared (<see cref="JsonNaming"/>); enums as their names;
/// non-ASCII kept readable (λ, not \u03BB). <b>Non-finite floats</b> are written as the strings <c>"NaN"</c>,
/// <c>"Infinity"</c>, <c>"-Infinity"</c> (System.Text.Json's named literals) so they round-trip exactly instead of
/// turning into null; Python's <c>float(x)</c> parses them. Reading accepts comments and trailing commas (hand-edited
/// configs), requires non-optional constructor parameters, and rejects nulls for non-nullable members.</remarks>
public static class JsonFiles
{
    private static readonly JsonSerializerOptions CamelCase = Create(JsonNamingPolicy.CamelCase);
    private static readonly JsonSerializerOptions AsIs = Create(null);

    /// <summary>The serializer options used for <paramref name="naming"/> (shared, read-only).</summary>
    public static JsonSerializerOptions Options(JsonNaming naming = JsonNaming.CamelCase) => naming switch
    {
        JsonNaming.CamelCase => CamelCase,
        JsonNaming.AsIs => AsIs,
        _ => throw new ArgumentOutOfRangeException(nameof(naming), naming, "Unknown naming."),
    };

    /// <summary>The indented JSON text of <paramref name="value"/>.</summary>
    public static string Serialize<T>(T value, JsonNaming naming = JsonNaming.CamelCase) => JsonSerializer.Serialize(value, Options(naming));

    /// <summary>Parses <paramref name="json"/> into a <typeparamref name="T"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="naming">Property naming used when it was written.</param>
    /// <param name="source">Where the text came from, for error messages.</param>
    /// <exception cref="InvalidDataException">Invalid JSON, a type mismatch, a missing required member or a null root;
    /// the message names <paramref name="source"/> and the position.</exception>
    public static T Deserialize<T>(string json, JsonNaming naming = JsonNaming.CamelCase, string source = "JSON text")
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options(naming))
                ?? throw new InvalidDataException($"{source}: the JSON document is null; expected a {typeof(T).Name}.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: cannot read a {typeof(T).Name} (line {e.LineNumber + 1}, byte {e.BytePositionInLine}): {e.Message}", e);
        }
    }

    /// <summary>Writes <paramref name="value"/> as indented JSON to <paramref name="path"/> atomically (temporary file + rename).</summary>
    public static void Write<T>(string path, T value, JsonNaming naming = JsonNaming.CamelCase)
    {
        var options = Options(naming);
        AtomicFile.Write(path, stream =>
        {
            JsonSerializer.Serialize(stream, value, options);
            stream.WriteByte((byte)'\n');
        });
    }

    /// <summary>Reads a <typeparamref name="T"/> from the JSON file <paramref name="path"/>.</summary>
    /// <inheritdoc cref="Deserialize{T}(string, JsonNaming, string)"/>
    public static T Read<T>(string path, JsonNaming naming = JsonNaming.CamelCase) => Deserialize<T>(File.ReadAllText(path), naming, path);

    private static JsonSerializerOptions Create(JsonNamingPolicy? policy)
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = policy,
            DictionaryKeyPolicy = null,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            IncludeFields = false,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
