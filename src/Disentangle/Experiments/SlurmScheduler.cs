using System.ComponentModel;
using System.Diagnostics;

namespace Disentangle.Experiments;

/// <summary>The state Slurm reports for one array task (e.g. <c>PENDING</c>, <c>RUNNING</c>, <c>COMPLETED</c>,
/// <c>FAILED</c>, <c>TIMEOUT</c>, <c>CANCELLED</c>, <c>OUT_OF_MEMORY</c>), its exit code (<c>143:0</c>) and who said so.</summary>
public sealed record SlurmTaskState(string JobId, int Index, string State, string ExitCode, string Source)
{
    /// <summary>Whether the task waits or runs (so its run must not be submitted again).</summary>
    public bool IsLive => State is "PENDING" or "RUNNING" or "CONFIGURING" or "COMPLETING" or "REQUEUED" or "RESIZING" or "SUSPENDED";
}

/// <summary>Slurm's commands: <c>sbatch</c> submits a script; <c>scontrol</c> (jobs the controller still holds) and
/// <c>sacct</c> (where accounting answers) give array-task states.</summary>
public static class SlurmScheduler
{
    /// <summary>Submits <paramref name="script"/> with <c>sbatch --parsable</c>; returns the job id.</summary>
    /// <exception cref="InvalidOperationException">sbatch is not installed or refused the script (its message is included).</exception>
    public static string Submit(string script)
    {
        var (code, output, error) = Run("sbatch", ["--parsable", script], TimeSpan.FromSeconds(60))
            ?? throw new InvalidOperationException($"sbatch is not on PATH (is Slurm installed here?); the script is written: {script}");
        string jobId = output.Trim().Split(';')[0];
        if (code != 0 || jobId.Length == 0 || !jobId.All(char.IsAsciiDigit))
            throw new InvalidOperationException($"sbatch refused {script} (exit {code}): {(error + output).Trim()}");
        return jobId;
    }

    /// <summary>The states of the array tasks of job <paramref name="jobId"/>, by index: from <c>scontrol</c>, else from
    /// <c>sacct</c>; empty when neither answers (no Slurm here, or the job is gone and there is no accounting).</summary>
    public static IReadOnlyDictionary<int, SlurmTaskState> States(string jobId)
    {
        if (Run("scontrol", ["show", "job", "-o", jobId], TimeSpan.FromSeconds(15)) is (0, var records, _)
            && ParseScontrol(jobId, records) is { Count: > 0 } held)
            return held;
        return Run("sacct", ["-n", "-P", "-X", "-j", jobId, "-o", "JobID,State,ExitCode"], TimeSpan.FromSeconds(15)) is (0, var rows, _)
            ? ParseSacct(jobId, rows) : new Dictionary<int, SlurmTaskState>();
    }

    /// <summary>Array-task states from <c>scontrol show job -o</c> (one record per line; a pending range is one record).</summary>
    internal static Dictionary<int, SlurmTaskState> ParseScontrol(string jobId, string records)
    {
        var states = new Dictionary<int, SlurmTaskState>();
        foreach (var line in records.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=', 2))
                .Where(kv => kv.Length == 2).GroupBy(kv => kv[0]).ToDictionary(g => g.Key, g => g.First()[1]);
            if (fields.GetValueOrDefault("ArrayJobId") != jobId || !fields.TryGetValue("ArrayTaskId", out var tasks)
                || !fields.TryGetValue("JobState", out var state)) continue;
            foreach (int i in SafeParse(tasks))
                states[i] = new SlurmTaskState(jobId, i, state, fields.GetValueOrDefault("ExitCode", ""), "scontrol");
        }
        return states;
    }

    /// <summary>Array-task states from <c>sacct -n -P -X -o JobID,State,ExitCode</c> (<c>17_3|CANCELLED by 0|0:15</c>).</summary>
    internal static Dictionary<int, SlurmTaskState> ParseSacct(string jobId, string rows)
    {
        var states = new Dictionary<int, SlurmTaskState>();
        foreach (var row in rows.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var cells = row.Trim().Split('|');
            int underscore = cells[0].IndexOf('_');
            if (cells.Length < 3 || underscore < 0 || cells[0][..underscore] != jobId) continue;
            foreach (int i in SafeParse(cells[0][(underscore + 1)..]))
                states[i] = new SlurmTaskState(jobId, i, cells[1].Split(' ')[0], cells[2], "sacct");
        }
        return states;
    }

    private static IReadOnlyList<int> SafeParse(string indices)
    {
        try { return ArrayIndices.Parse(indices); }
        catch (FormatException) { return []; }
    }

    /// <summary>Runs a command; null when it is not installed. Output is read fully; a command that hangs is killed.</summary>
    internal static (int Code, string Output, string Error)? Run(string command, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try { process = Process.Start(start) ?? throw new Win32Exception(); }
        catch (Win32Exception) { return null; }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "", $"{command} did not answer within {timeout.TotalSeconds:F0} s");
            }
            return (process.ExitCode, output.Result, error.Result);
        }
    }
}
