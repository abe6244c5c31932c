using System.Globalization;
using System.Text.Json.Nodes;
using Disentangle.Io;

namespace Disentangle.Experiments;

/// <summary>A grid of runs: a base config and, per key, the values to sweep; the runs are the Cartesian product.</summary>
/// <param name="Name">The sweep's name (its folder under the runs root).</param>
/// <param name="Base">Options shared by every run (keys of the command's options record).</param>
/// <param name="Grid">Per swept key, its values; keys are expanded in the order given, the last one fastest.</param>
/// <param name="FullGrid">Whether each run is also scored on every grid image at its best checkpoint (as the paper;
/// FastICA fitted on 1,000,000 training samples for inner-ridge), besides the sampled evaluations.</param>
public sealed record SweepSpec(string Name, JsonObject Base, IReadOnlyList<KeyValuePair<string, JsonArray>> Grid, bool FullGrid = false)
{
    /// <summary>Reads a sweep file: <c>{"name": …, "base": {…}, "grid": {"key": [values…], …}, "fullGrid": false}</c>.</summary>
    /// <exception cref="InvalidDataException">The file is malformed; the message names what is missing.</exception>
    public static SweepSpec Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Sweep file '{path}' does not exist.", path);
        JsonObject root;
        try { root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"Sweep file '{path}' must hold a JSON object."); }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"Sweep file '{path}' is not valid JSON: {e.Message}", e); }
        foreach (var key in root.Select(p => p.Key))
            if (key is not ("name" or "base" or "grid" or "fullGrid"))
                throw new InvalidDataException($"Sweep file '{path}': unknown key '{key}'. Valid keys: name, base, grid, fullGrid.");
        string name = root["name"]?.GetValue<string>() ?? Path.GetFileNameWithoutExtension(path);
        CheckName(name, $"Sweep file '{path}'");
        var baseConfig = root["base"] as JsonObject ?? [];
        if (root["grid"] is not JsonObject grid || grid.Count == 0)
            throw new InvalidDataException($"Sweep file '{path}' needs a non-empty \"grid\" object, e.g. {{\"seed\": [0, 1, 2]}}.");
        var axes = new List<KeyValuePair<string, JsonArray>>();
        foreach (var (key, values) in grid)
        {
            if (values is not JsonArray array || array.Count == 0)
                throw new InvalidDataException($"Sweep file '{path}': grid key '{key}' must be a non-empty array of values.");
            axes.Add(new(key, array));
        }
        bool fullGrid = root["fullGrid"] switch
        {
            null => false,
            JsonValue v when v.TryGetValue(out bool b) => b,
            var other => throw new InvalidDataException($"Sweep file '{path}': \"fullGrid\" must be true or false, not {other.ToJsonString()}."),
        };
        return new SweepSpec(name, baseConfig, axes, fullGrid);
    }

    /// <summary>Throws unless <paramref name="name"/> is one plain folder name (the sweep's folder must stay inside the root).</summary>
    /// <exception cref="InvalidDataException">The name is empty, "." or "..", or holds a path separator.</exception>
    public static void CheckName(string name, string source)
    {
        if (string.IsNullOrWhiteSpace(name) || name is "." or ".." || name.IndexOfAny(['/', '\\', '\0']) >= 0)
            throw new InvalidDataException($"{source}: the sweep name '{name}' must be a plain folder name (no '/', not '.' or '..').");
    }

    /// <summary>Expands the grid into one config per run, named by its swept values (so a run keeps its folder when the
    /// grid is reordered or extended); path separators in a value are escaped (<c>/</c> → <c>%2F</c>), so a run's folder
    /// is always one level under <c>runs/</c>.</summary>
    public IReadOnlyList<SweepRun> Expand()
    {
        var runs = new List<SweepRun>();
        int total = Grid.Aggregate(1, (p, axis) => p * axis.Value.Count);
        for (int index = 0; index < total; index++)
        {
            var config = (JsonObject)Base.DeepClone();
            var parts = new List<string>();
            int rest = index;
            var choice = new int[Grid.Count];
            for (int a = Grid.Count - 1; a >= 0; a--) { choice[a] = rest % Grid[a].Value.Count; rest /= Grid[a].Value.Count; }
            for (int a = 0; a < Grid.Count; a++)
            {
                var value = Grid[a].Value[choice[a]];
                config[Grid[a].Key] = value?.DeepClone();
                parts.Add($"{Escape(Grid[a].Key)}={Escape(FormatValue(value))}");
            }
            runs.Add(new SweepRun(index, string.Join("_", parts.Order(StringComparer.Ordinal)), config));   // key order-independent
        }
        return runs;
    }

    /// <summary>Writes the sweep file back (<c>{"name", "base", "grid"}</c>, and <c>"fullGrid"</c> when set), so a copy
    /// beside the runs reproduces them.</summary>
    public void Save(string path)
    {
        var grid = new JsonObject();
        foreach (var (key, values) in Grid) grid[key] = values.DeepClone();
        var root = new JsonObject { ["name"] = Name, ["base"] = Base.DeepClone(), ["grid"] = grid };
        if (FullGrid) root["fullGrid"] = true;
        JsonFiles.Write(path, root);
    }

    private static string Escape(string text) => text.Replace("/", "%2F").Replace("\\", "%5C").Replace("\0", "%00");

    private static string FormatValue(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue(out double d) => d.ToString("G6", CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue(out string? s) => s!,
        null => "null",
        _ => value.ToJsonString(),
    };
}

/// <summary>One run of a sweep: its index (the Slurm array index), its folder name and its full config.</summary>
public sealed record SweepRun(int Index, string Name, JsonObject Config);
