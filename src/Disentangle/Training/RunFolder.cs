namespace Disentangle.Training;

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
}
