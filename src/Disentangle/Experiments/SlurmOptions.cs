namespace Disentangle.Experiments;

/// <summary>How a sweep's Slurm job array asks for resources.</summary>
/// <param name="CpusPerTask">CPUs per array task; each run uses as many threads (Slurm sets <c>SLURM_CPUS_PER_TASK</c>).</param>
/// <param name="Hours">Wall-time limit per task, in hours (fractions allowed; rounded up to whole minutes).</param>
/// <param name="SbatchArgs">Extra <c>#SBATCH</c> lines, e.g. <c>--partition=gpu</c>, <c>--account=abc</c>, <c>--mem=8G</c>, <c>--qos=short</c>.</param>
public sealed record SlurmOptions(int CpusPerTask = 2, double Hours = 4, IReadOnlyList<string>? SbatchArgs = null)
{
    /// <summary>Options the script sets itself from the sweep (or from <see cref="CpusPerTask"/> and <see cref="Hours"/>).</summary>
    private static readonly string[] Reserved = ["--array", "-a", "--output", "-o", "--error", "-e", "--job-name", "-J",
        "--cpus-per-task", "-c", "--time", "-t", "--signal"];

    /// <summary>The time limit in whole minutes.</summary>
    public int Minutes => (int)Math.Ceiling(Hours * 60 - 1e-9);

    /// <summary>Seconds before the time limit at which Slurm sends SIGTERM to the task, so that it checkpoints and exits
    /// in time: a tenth of the limit, between 10 seconds and 5 minutes.</summary>
    public int SignalMarginSeconds => Math.Clamp(Minutes * 6, 10, 300);

    /// <summary>Throws when an option is out of range or an extra line is malformed, naming the flag.</summary>
    /// <exception cref="ArgumentOutOfRangeException">--cpus-per-task below 1, or --hours not in (0, 8760].</exception>
    /// <exception cref="ArgumentException">An extra #SBATCH line is not one option, or sets what the script sets itself.</exception>
    public void Validate()
    {
        if (CpusPerTask < 1)
            throw new ArgumentOutOfRangeException(nameof(CpusPerTask), CpusPerTask, $"--cpus-per-task must be at least 1; got {CpusPerTask}.");
        if (!(Hours > 0 && Hours <= 8760))
            throw new ArgumentOutOfRangeException(nameof(Hours), Hours, $"--hours must be more than 0 and at most 8760 (a year); got {Hours}.");
        foreach (var line in SbatchArgs ?? [])
        {
            if (!line.StartsWith('-') || line.Any(char.IsControl) || string.IsNullOrWhiteSpace(line.TrimStart('-')))
                throw new ArgumentException($"--sbatch-arg '{line}' must be one sbatch option such as --partition=gpu (one per --sbatch-arg).", nameof(SbatchArgs));
            string option = line.Split('=', ' ')[0];
            if (Reserved.Contains(option))
                throw new ArgumentException($"--sbatch-arg '{line}': the script sets {option} itself (use --cpus-per-task and --hours for CPUs and time).", nameof(SbatchArgs));
        }
    }
}
