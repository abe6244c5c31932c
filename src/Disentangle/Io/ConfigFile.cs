using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Disentangle.Io;

/// <summary>Reads and writes experiment options records as config files, in the one convention of <see cref="JsonFiles"/>.</summary>
/// <remarks>Unknown keys are errors that list the valid ones, so a typo in a config never silently falls back to a default.
/// Saved files also record the <see cref="VersionKey"/> of the library that wrote them, which reading ignores.</remarks>
public static class ConfigFile
{
    /// <summary>The key under which <see cref="Save"/> records <see cref="Version"/>; informational, skipped on reading.</summary>
    public const string VersionKey = "version";

    /// <summary>This library's version (with the git commit it was built from, when known).</summary>
    public static string Version { get; } = typeof(ConfigFile).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Reads a config file into an options record, starting from <paramref name="defaults"/> for absent keys.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not valid JSON, has an unknown key, or a value of the wrong type.</exception>
    public static T Load<T>(string path, T defaults) where T : class
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Config file '{path}' does not exist.", path);
        JsonObject overrides;
        try { overrides = JsonFiles.ReadObject(path); }
        catch (InvalidDataException e) { throw new InvalidDataException($"Config file {e.Message}", e); }
        return Merge(defaults, overrides, path);
    }

    /// <summary>Applies the keys of <paramref name="overrides"/> on top of <paramref name="defaults"/>.</summary>
    /// <exception cref="InvalidDataException">A key is unknown or a value has the wrong type; <paramref name="source"/> names where it came from.</exception>
    public static T Merge<T>(T defaults, JsonObject overrides, string source) where T : class
    {
        var merged = ToJson(defaults);
        var valid = merged.Select(p => p.Key).ToArray();
        foreach (var (key, value) in overrides)
        {
            if (key == VersionKey) continue;
            if (!merged.ContainsKey(key))
                throw new InvalidDataException($"{source}: unknown key '{key}'. Valid keys: {string.Join(", ", valid)}.");
            merged[key] = value?.DeepClone();
        }
        try { return merged.Deserialize<T>(JsonFiles.Options) ?? throw new InvalidDataException($"{source}: the config is empty."); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: {e.Message}", e); }
    }

    /// <summary>An options record as a JSON object.</summary>
    public static JsonObject ToJson<T>(T options) => JsonSerializer.SerializeToNode(options, JsonFiles.Options)!.AsObject();

    /// <summary>Writes an options record as indented JSON, with the library's <see cref="Version"/>, atomically.</summary>
    public static void Save<T>(string path, T options) => JsonFiles.Write(path, ToSavedJson(options));

    /// <summary>What <see cref="Save"/> writes: the options as a JSON object with the library's <see cref="Version"/>.</summary>
    public static JsonObject ToSavedJson<T>(T options)
    {
        var node = ToJson(options);
        node[VersionKey] = Version;
        return node;
    }
}
