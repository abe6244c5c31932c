using System.Diagnostics;
using System.Runtime.InteropServices;
using Disentangle.Metrics;
using Disentangle.Runs;
using Disentangle.Training;

namespace Disentangle.Experiments;

/// <summary>One run of a local sweep in a child process of the CLI: <c>sweep sweep.json --root ROOT --index I --threads N</c>,
/// what a Slurm array task runs, with its output in <c>local-{index}.out</c> of the sweep folder.</summary>
/// <remarks>Runs side by side in one process share its heap, its thread pool and the oneDNN runtime, whose calls one lock
/// serialises and whose convolution chain holds one forward pass at a time; two 3D Shapes runs in one process trained at
/// 1.7–2.4 steps/s each, in two processes at 3.3. The child has a session of its own, so a Ctrl-C at the terminal reaches
/// only the sweep, which passes one SIGTERM on: each run stops at a step boundary with a checkpoint.</remarks>
internal static partial class RunProcess
{
    /// <summary>The output file of run <paramref name="index"/> in <paramref name="sweepFolder"/>.</summary>
    public static string OutputFile(string sweepFolder, int index) => Path.Combine(sweepFolder, $"local-{index:D4}.out");

    /// <summary>Runs run <paramref name="index"/> of the sweep file <paramref name="specFile"/> (in its sweep folder) in a child
    /// process and reads what it did from the run's folder: its uniform-grid scores, or the exception the run would have
    /// thrown in this process.</summary>
    /// <exception cref="TrainingInterruptedException">A stop request stopped the run.</exception>
    /// <exception cref="TrainingDivergedException">The run's training diverged.</exception>
    /// <exception cref="InvalidOperationException">The run failed otherwise; the message is its outcome's.</exception>
    public static DisentanglementScores Scores(SlurmLauncher launcher, string specFile, int index, TrainOptions options, CancellationToken cancel)
    {
        string sweepFolder = Path.GetDirectoryName(specFile)!;
        string output = OutputFile(sweepFolder, index);
        int exit = Run(launcher, specFile, Path.GetDirectoryName(sweepFolder)!, index, options.Threads!.Value, output, cancel);
        var folder = new RunFolder(options.Out);
        var outcome = RunOutcome.Read(folder.Path);
        return outcome?.State switch
        {
            RunState.Done => SweepResults.UniformEvaluations(folder).First().Scores,
            RunState.Interrupted => throw new TrainingInterruptedException(Math.Max(folder.TrainedSteps(), 0), options.Steps),
            RunState.Failed when exit == 3 => throw new TrainingDivergedException(outcome.Message),
            RunState.Failed => throw new InvalidOperationException(outcome.Message),
            // Stopped before it began to train (the signal came while it planned): nothing to resume, nothing failed.
            _ when cancel.IsCancellationRequested && exit is 130 or 143 => throw new TrainingInterruptedException(0, options.Steps),
            _ => throw new InvalidOperationException($"its process exited with code {exit} and left no outcome (see {output})."),
        };
    }

    /// <summary>Runs run <paramref name="index"/> of the sweep file <paramref name="specFile"/> and waits for it; a stop request
    /// sends it SIGTERM. Returns its exit code.</summary>
    private static int Run(SlurmLauncher launcher, string specFile, string root, int index, int threads, string output, CancellationToken cancel)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec setsid {launcher.Command} sweep {SlurmLauncher.Quote(specFile)} --root {SlurmLauncher.Quote(root)} "
            + $"--index {index} --threads {threads} > {SlurmLauncher.Quote(output)} 2>&1");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash for a sweep run.");
        using (cancel.Register(() => kill(process.Id, SigTerm)))
            process.WaitForExit();
        return process.ExitCode;
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
