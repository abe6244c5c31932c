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

    /// <summary>The name of an evaluation's files: <c>{checkpoint}[-ica][-full-grid]-{set}</c> (see <see cref="EvaluationResult"/>).</summary>
    public static string EvaluationName(string checkpoint, bool ica, string set, bool fullGrid = false) =>
        $"{checkpoint}{(ica ? "-ica" : "")}{(fullGrid ? "-" + EvaluationResult.FullGrid : "")}-{set}";

    /// <summary>The scores of evaluation <paramref name="name"/> (an <see cref="EvaluationResult"/>): <c>eval-{name}.json</c>.</summary>
    public string Evaluation(string name) => File($"eval-{name}.json");

    /// <summary>The learned features of evaluation <paramref name="name"/> (N × z_dim, float64): <c>features-{name}.npy</c>.</summary>
    public string Features(string name) => File($"features-{name}.npy");

    /// <summary>The FastICA unmixing of evaluation <paramref name="name"/> (a <see cref="Ica.FastIcaUnmixing"/>):
    /// <c>unmixing-{name}.json</c>, written by every evaluation with FastICA.</summary>
    public string Unmixing(string name) => File($"unmixing-{name}.json");

    /// <summary>The standardised true latents of evaluation <paramref name="name"/> (N × d, float64): <c>latents-{name}.npy</c>.</summary>
    public string Latents(string name) => File($"latents-{name}.npy");

    /// <summary>The end-of-training evaluation that <c>train</c> writes (<c>eval-train-uniform.json</c>).</summary>
    public string TrainEvaluation => Evaluation(EvaluationName("train", false, "uniform"));

    /// <summary>The validation outer loss that <see cref="Log"/> records at <paramref name="step"/>; null without a log or
    /// without a validation entry at that step.</summary>
    public double? ValidationLossAt(long step)
    {
        if (!System.IO.File.Exists(Log)) return null;
        var table = CsvTable.Read(Log);
        if (!table.Columns.Contains("validation_loss")) return null;
        int column = table.IndexOf("validation_loss");
        foreach (var row in table.Rows)
            if (long.Parse(row[0], CultureInfo.InvariantCulture) == step
                && double.TryParse(row[column], NumberStyles.Float, CultureInfo.InvariantCulture, out double loss) && double.IsFinite(loss))
                return loss;
        return null;
    }

    /// <summary>Per feature, how many task predictors have used it so far (saved with every checkpoint).</summary>
    public string Usage => File("usage.json");

    /// <summary>The data file the run was trained on: path, size, SHA-256 (absent for the embedded renderer).</summary>
    public string Data => File("data.json");

    /// <summary>The machines and kernels that trained the run (<see cref="MachineRecord"/>).</summary>
    public string Machine => File("machine.json");

    /// <summary>A file of the run by name.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Whether this folder holds a run (a config and a checkpoint).</summary>
    public bool HoldsRun => System.IO.File.Exists(Config) && System.IO.File.Exists(Checkpoint);

    /// <summary>Whether this folder holds a finished run kept without its checkpoints: its config and its last checkpoint's
    /// evaluation (<see cref="LastEvaluation"/>) but no <c>checkpoint.safetensors</c>, as when a sweep's results are
    /// committed to a repository or copied back from a cluster without the checkpoints (see docs/run-folder.md). Its
    /// scores, log and features are read as they are; training it on or scoring it again needs the checkpoints back.</summary>
    public bool IsKept => System.IO.File.Exists(Config) && !System.IO.File.Exists(Checkpoint) && System.IO.File.Exists(LastEvaluation);

    /// <summary>The sampled uniform-grid evaluation of the last checkpoint that a sweep writes for every run:
    /// <c>eval-last-uniform.json</c>, or <c>eval-last-ica-uniform.json</c> for an inner-ridge-ica run, which is only
    /// scored after FastICA.</summary>
    public string LastEvaluation => new[] { false, true }.Select(ica => Evaluation(EvaluationName("last", ica, "uniform")))
        .FirstOrDefault(System.IO.File.Exists) ?? Evaluation(EvaluationName("last", false, "uniform"));

    /// <summary>The step the run's last checkpoint holds (its last evaluation records it when the run is kept without its
    /// checkpoints); -1 when it has neither.</summary>
    public long TrainedSteps() =>
        HoldsRun ? Io.Checkpoint.Load(Checkpoint).Step : IsKept ? JsonFiles.Read<EvaluationResult>(LastEvaluation).Step : -1;

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
