using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Disentangle.Io;

namespace Disentangle.Experiments;

/// <summary>A grid of runs: a base config and, per key, the values to sweep; the runs are the Cartesian product.</summary>
/// <param name="Name">The sweep's name (its folder under the runs root).</param>
/// <param name="Base">Options shared by every run (keys of the command's options record).</param>
/// <param name="Grid">Per swept key, its values; keys are expanded in the order given, the last one fastest.</param>
public sealed record SweepSpec(string Name, JsonObject Base, IReadOnlyList<KeyValuePair<string, JsonArray>> Grid)
{
    /// <summary>Reads a sweep file: <c>{"name": …, "base": {…}, "grid": {"key": [values…], …}}</c>.</summary>
    /// <exception cref="InvalidDataException">The file is malformed; the message names what is missing.</exception>
    public static SweepSpec Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Sweep file '{path}' does not exist.", path);
        JsonObject root;
        try { root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"Sweep file '{path}' must hold a JSON object."); }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"Sweep file '{path}' is not valid JSON: {e.Message}", e); }
        foreach (var key in root.Select(p => p.Key))
            if (key is not ("name" or "base" or "grid"))
                throw new InvalidDataException($"Sweep file '{path}': unknown key '{key}'. Valid keys: name, base, grid.");
        string name = root["name"]?.GetValue<string>() ?? Path.GetFileNameWithoutExtension(path);
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
        return new SweepSpec(name, baseConfig, axes);
    }

    /// <summary>Expands the grid into one config per run, named by its swept values (so a run keeps its folder when the
    /// grid is reordered or extended).</summary>
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
                parts.Add($"{Grid[a].Key}={FormatValue(value)}");
            }
            runs.Add(new SweepRun(index, string.Join("_", parts.Order(StringComparer.Ordinal)), config));   // key order-independent
        }
        return runs;
    }

    /// <summary>Writes the sweep file back (<c>{"name", "base", "grid"}</c>), so a copy beside the runs reproduces them.</summary>
    public void Save(string path)
    {
        var grid = new JsonObject();
        foreach (var (key, values) in Grid) grid[key] = values.DeepClone();
        var root = new JsonObject { ["name"] = Name, ["base"] = Base.DeepClone(), ["grid"] = grid };
        JsonFiles.Write(path, root);
    }

    /// <summary>A Slurm job-array script whose array index i trains and evaluates run i of <see cref="Expand"/>, exactly as
    /// a local sweep does (<c>disentangle sweep FILE --root ROOT --index i</c>).</summary>
    /// <param name="sweepFolder">The sweep's folder (for the Slurm logs).</param>
    /// <param name="specFile">This sweep's file, as the cluster sees it.</param>
    /// <param name="root">The folder that holds the sweep folder.</param>
    /// <param name="launcher">Path of the <c>disentangle</c> launcher on the cluster.</param>
    /// <param name="cpusPerTask">CPUs requested per run.</param>
    /// <param name="hours">Wall-time limit per run.</param>
    public string SlurmScript(string sweepFolder, string specFile, string root, string launcher, int cpusPerTask = 2, int hours = 4)
    {
        var runs = Expand();
        var sb = new StringBuilder();
        sb.AppendLine("#!/bin/bash");
        sb.AppendLine($"#SBATCH --job-name={Name}");
        sb.AppendLine($"#SBATCH --array=0-{runs.Count - 1}");
        sb.AppendLine($"#SBATCH --cpus-per-task={cpusPerTask}");
        sb.AppendLine($"#SBATCH --time={hours}:00:00");
        sb.AppendLine($"#SBATCH --output={sweepFolder}/slurm-%A_%a.out");
        sb.AppendLine("set -euo pipefail");
        sb.AppendLine("# index → run: " + string.Join(", ", runs.Select(r => $"{r.Index}={r.Name}")));
        sb.AppendLine($"exec \"{launcher}\" sweep \"{specFile}\" --root \"{root}\" --index \"${{SLURM_ARRAY_TASK_ID}}\"");
        return sb.ToString();
    }

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
