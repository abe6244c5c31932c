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

    /// <summary>The name of an evaluation's files: <c>{checkpoint}[-ica]-{set}</c> (see <see cref="EvaluationResult"/>).</summary>
    public static string EvaluationName(string checkpoint, bool ica, string set) => $"{checkpoint}{(ica ? "-ica" : "")}-{set}";

    /// <summary>The scores of evaluation <paramref name="name"/> (an <see cref="EvaluationResult"/>): <c>eval-{name}.json</c>.</summary>
    public string Evaluation(string name) => File($"eval-{name}.json");

    /// <summary>The learned features of evaluation <paramref name="name"/> (N × z_dim, float64): <c>features-{name}.npy</c>.</summary>
    public string Features(string name) => File($"features-{name}.npy");

    /// <summary>The standardised true latents of evaluation <paramref name="name"/> (N × d, float64): <c>latents-{name}.npy</c>.</summary>
    public string Latents(string name) => File($"latents-{name}.npy");

    /// <summary>The end-of-training evaluation that <c>train</c> writes (<c>eval-train-uniform.json</c>).</summary>
    public string TrainEvaluation => Evaluation(EvaluationName("train", false, "uniform"));

    /// <summary>Per feature, how many task predictors have used it so far (saved with every checkpoint).</summary>
    public string Usage => File("usage.json");

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
        var differences = saved.Where(p => p.Key is not ("steps" or "out") && wanted[p.Key]?.ToJsonString() != p.Value?.ToJsonString())
            .Select(p => p.Key).ToArray();
        if (differences.Length > 0)
            throw new InvalidOperationException($"Cannot resume '{Path}': its config differs in {string.Join(", ", differences)} (only steps may change).");
    }

    /// <summary>Drops the log rows after <paramref name="step"/> (written after the checkpoint a resume starts from);
    /// returns the rows kept, or null when there is no log.</summary>
    public CsvTable? TruncateLog(long step)
    {
        if (!System.IO.File.Exists(Log)) return null;
        var table = CsvTable.Read(Log);
        var kept = table.Rows.Where(r => long.Parse(r[0], CultureInfo.InvariantCulture) <= step).ToList();
        using (var writer = new CsvWriter(Log + ".tmp", table.Columns))
            foreach (var row in kept) writer.WriteRow(row.Cast<object?>().ToArray());
        System.IO.File.Move(Log + ".tmp", Log, overwrite: true);
        return table with { Rows = kept };
    }
}
