using System.Text;

namespace Disentangle.Experiments;

/// <summary>The job-array script of a sweep: array index i trains and evaluates run i of the sweep file, exactly as a local
/// sweep does (<c>disentangle sweep FILE --root ROOT --index i</c>), with the built CLI (no build, no install per task).</summary>
public static class SlurmScript
{
    /// <summary>The Slurm output file of array task <paramref name="index"/> of job <paramref name="jobId"/>.</summary>
    public static string OutputFile(string sweepFolder, string jobId, int index) => Path.Combine(sweepFolder, $"slurm-{jobId}_{index}.out");

    /// <summary>Writes the script's text.</summary>
    /// <param name="spec">The sweep.</param>
    /// <param name="indices">The array indices to run (all runs, or only the unfinished ones).</param>
    /// <param name="sweepFolder">The sweep's folder (for the Slurm output files).</param>
    /// <param name="specFile">The sweep file the tasks read, as the cluster sees it.</param>
    /// <param name="root">The folder that holds the sweep folder.</param>
    /// <param name="launcher">How a task starts the CLI.</param>
    /// <param name="options">CPUs, time limit and extra #SBATCH lines (validated here).</param>
    /// <exception cref="ArgumentException">No indices, or an option is invalid.</exception>
    public static string Write(SweepSpec spec, IReadOnlyCollection<int> indices, string sweepFolder, string specFile, string root,
        SlurmLauncher launcher, SlurmOptions options)
    {
        options.Validate();
        if (indices.Count == 0) throw new ArgumentException("A job array needs at least one index.", nameof(indices));
        var runs = spec.Expand();
        var sb = new StringBuilder();
        sb.AppendLine("#!/bin/bash");
        sb.AppendLine($"#SBATCH --job-name={new string(spec.Name.Select(c => char.IsWhiteSpace(c) ? '_' : c).ToArray())}");
        sb.AppendLine($"#SBATCH --array={ArrayIndices.Format(indices)}");
        sb.AppendLine($"#SBATCH --cpus-per-task={options.CpusPerTask}");
        sb.AppendLine($"#SBATCH --time={options.Minutes / 60}:{options.Minutes % 60:D2}:00");
        sb.AppendLine($"#SBATCH --signal=B:TERM@{options.SignalMarginSeconds}");
        string output = Path.Combine(sweepFolder, "slurm-%A_%a.out");
        sb.AppendLine($"#SBATCH --output={(output.Any(char.IsWhiteSpace) ? $"\"{output}\"" : output)}");
        foreach (var line in options.SbatchArgs ?? []) sb.AppendLine($"#SBATCH {line}");
        sb.AppendLine("# Written by 'disentangle sweep --slurm'. Array index i trains and evaluates run i of the sweep file, as a");
        sb.AppendLine("# local sweep does; a finished run is only evaluated where an evaluation is missing and a stopped one resumes from its checkpoint.");
        sb.AppendLine($"# SIGTERM ({options.SignalMarginSeconds} s before the time limit, or scancel --signal=TERM --full) stops a run at the next step");
        sb.AppendLine("# with a checkpoint and exit code 143; 'disentangle sweep FILE --slurm --submit' then resubmits only the unfinished runs.");
        sb.AppendLine($"# Each run uses SLURM_CPUS_PER_TASK ({options.CpusPerTask}) threads.");
        sb.AppendLine("# index → run:");
        foreach (var run in runs.Where(r => indices.Contains(r.Index))) sb.AppendLine($"#   {run.Index} = {run.Name}");
        sb.AppendLine("set -euo pipefail");
        sb.AppendLine($"export OMP_NUM_THREADS=\"${{SLURM_CPUS_PER_TASK:-{options.CpusPerTask}}}\" OPENBLAS_NUM_THREADS=\"${{SLURM_CPUS_PER_TASK:-{options.CpusPerTask}}}\"");
        // exec: the CLI is the batch shell itself, so the B: signal above reaches it.
        sb.AppendLine($"exec {launcher.Command} sweep {SlurmLauncher.Quote(specFile)} --root {SlurmLauncher.Quote(root)} --index \"${{SLURM_ARRAY_TASK_ID}}\"");
        return sb.ToString();
    }
}
