namespace Disentangle.Cli;

/// <summary>The documented exit codes of <c>disentangle</c> (README, "Exit codes").</summary>
public static class ExitCodes
{
    /// <summary>The command finished.</summary>
    public const int Done = 0;

    /// <summary>The command line could not be parsed (unknown flag, missing argument, malformed value).</summary>
    public const int Usage = 1;

    /// <summary>Bad input or environment: an option out of range, a malformed file, a folder in use or not writable,
    /// not enough memory for the sizes asked for.</summary>
    public const int BadInput = 2;

    /// <summary>Training diverged; the last good checkpoint is kept.</summary>
    public const int Diverged = 3;

    /// <summary>Interrupted by SIGINT (Ctrl-C): 128 + 2.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM (e.g. a Slurm time limit): 128 + 15.</summary>
    public const int Terminated = 143;
}
