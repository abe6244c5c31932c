using System.Globalization;
using Disentangle.Io;
using Disentangle.Training;

namespace Disentangle.Runs;

/// <summary>The files of one training run (<c>runs/&lt;name&gt;/</c>).</summary>
public sealed class RunFolder
{
    /// <summary>Wraps the folder at <paramref name="path"/> (not created until <see cref="Create"/>).</summary>
    public RunFolder(string path) => Path = System.IO.Path.GetFullPath(path);

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>Every option, the seed and the version.</summary>
    public string Config => File("config.json");

    /// <summary>One row per logged step.</summary>
    public string Log => File("log.csv");

    /// <summary>The latest parameters, buffers, optimizer state and step.</summary>
    public string Checkpoint => File("checkpoint.safetensors");

    /// <summary>The checkpoint with the best validation outer loss.</summary>
    public string Best => File("best.safetensors");

    /// <summary>Learned features of the evaluation set (N × z_dim, float64).</summary>
    public string Features => File("features.npy");

    /// <summary>True latents of the evaluation set (N × 6, float64).</summary>
    public string Latents => File("latents.npy");

    /// <summary>Scores of the final evaluation.</summary>
    public string Metrics => File("metrics.json");

    /// <summary>Per feature, how many task predictors have used it so far (saved with every checkpoint).</summary>
    public string Usage => File("usage.json");

    /// <summary>The data file the run was trained on: path, size, SHA-256 (absent for the embedded renderer).</summary>
    public string Data => File("data.json");

    /// <summary>A file of the run by name.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Whether this folder holds a run (a config and a checkpoint).</summary>
    public bool HoldsRun => System.IO.File.Exists(Config) && System.IO.File.Exists(Checkpoint);

    /// <summary>Creates the folder.</summary>
    public void Create() => Directory.CreateDirectory(Path);

    /// <summary>Throws unless the folder holds a run.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">It exists but has no config.json or checkpoint.safetensors.</exception>
    public void EnsureRun()
    {
        if (!Directory.Exists(Path)) throw new DirectoryNotFoundException($"Run folder '{Path}' does not exist.");
        if (!HoldsRun)
            throw new InvalidDataException($"'{Path}' is not a run folder: it needs config.json and checkpoint.safetensors (written by 'disentangle train').");
    }

    /// <summary>Throws unless the run saved here has the configuration <paramref name="options"/>, up to the step count and
    /// the folder (the only options a resume may change).</summary>
    /// <exception cref="InvalidOperationException">The saved configuration differs; the message names the options.</exception>
    /// <exception cref="InvalidDataException">config.json is malformed.</exception>
    public void EnsureResumable(TrainOptions options)
    {
        var saved = ConfigFile.ToJson(ConfigFile.Load(Config, new TrainOptions()));
        var wanted = ConfigFile.ToJson(options);
        var differences = saved.Where(p => p.Key is not ("steps" or "out" or "threads") && wanted[p.Key]?.ToJsonString() != p.Value?.ToJsonString())
            .Select(p => p.Key).ToArray();
        if (differences.Length > 0)
            throw new InvalidOperationException($"Cannot resume '{Path}': its config differs in {string.Join(", ", differences)} (only steps may change).");
    }

    /// <summary>The thread count the run saved here recorded, or null (a resume uses it: results differ bitwise with it).</summary>
    public int? RecordedThreads() => HoldsRun ? JsonFiles.ReadObject(Config)["threads"]?.GetValue<int>() : null;

    /// <summary>Drops the log rows after <paramref name="step"/> (written after the checkpoint a resume starts from);
    /// returns the rows kept, or null when there is no log. For checkpoints that do not record the log's length.</summary>
    public CsvTable? TruncateLog(long step)
    {
        if (!System.IO.File.Exists(Log)) return null;
        var table = CsvTable.Read(Log);
        var kept = table.Rows.Where(r => long.Parse(r[0], CultureInfo.InvariantCulture) <= step).ToList();
        var text = new System.Text.StringBuilder();
        foreach (var row in kept.Prepend([.. table.Columns]))
            text.Append(string.Join(",", row.Select(CsvWriter.Format))).Append('\n');
        AtomicFile.WriteText(Log, text.ToString());
        return table with { Rows = kept };
    }

    /// <summary>Cuts the log back to its first <paramref name="bytes"/> bytes: the length recorded in the checkpoint a
    /// resume starts from (rows written after that checkpoint are written again by the resumed steps). A shorter log (rows
    /// lost with the machine before they reached the disk) is kept as it is.</summary>
    public void TruncateLogToBytes(long bytes)
    {
        if (bytes == 0 && !System.IO.File.Exists(Log)) return;
        using var stream = new FileStream(Log, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        if (stream.Length <= bytes) return;
        stream.SetLength(bytes);
        stream.Flush(flushToDisk: true);
    }
}
