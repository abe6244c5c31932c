using Disentangle.Io;

namespace Disentangle.Experiments;

/// <summary>Where a sweep's run stands.</summary>
public enum RunState
{
    /// <summary>Not started, or waiting in the Slurm queue.</summary>
    Pending,
    /// <summary>Training or evaluating now.</summary>
    Running,
    /// <summary>Trained to its last step and evaluated.</summary>
    Done,
    /// <summary>Ended with an error (or killed by the scheduler); the message says why.</summary>
    Failed,
    /// <summary>Stopped by a signal (Ctrl-C, a time limit) at a step boundary, with a checkpoint; it resumes when run again.</summary>
    Interrupted,
    /// <summary>Started, but no process works on it and it left no outcome (killed hard, e.g. SIGKILL); it resumes when run again.</summary>
    Stopped,
}

/// <summary>How a sweep's run last ended, in <c>outcome.json</c> of its run folder: written by the sweep when the run is
/// done, fails or is interrupted, and removed when it starts again.</summary>
/// <param name="State"><see cref="RunState.Done"/>, <see cref="RunState.Failed"/> or <see cref="RunState.Interrupted"/>.</param>
/// <param name="Message">The error, or the interruption's step; when done, empty or the run whose training it shares
/// (see <c>SharedRuns</c>).</param>
/// <param name="Time">When it ended.</param>
public sealed record RunOutcome(RunState State, string Message, DateTimeOffset Time)
{
    /// <summary>The file's name in a run folder.</summary>
    public const string FileName = "outcome.json";

    /// <summary>The outcome recorded in <paramref name="runFolder"/>, or null (none yet, or unreadable).</summary>
    public static RunOutcome? Read(string runFolder)
    {
        string path = Path.Combine(runFolder, FileName);
        if (!File.Exists(path)) return null;
        try { return JsonFiles.Read<RunOutcome>(path); }
        catch (Exception e) when (e is InvalidDataException or IOException) { return null; }
    }

    /// <summary>Records this outcome in <paramref name="runFolder"/> (atomically; the folder is created if needed).</summary>
    public void Write(string runFolder)
    {
        Directory.CreateDirectory(runFolder);
        JsonFiles.Write(Path.Combine(runFolder, FileName), this);
    }

    /// <summary>Removes the recorded outcome (the run starts again).</summary>
    public static void Clear(string runFolder) => File.Delete(Path.Combine(runFolder, FileName));
}
