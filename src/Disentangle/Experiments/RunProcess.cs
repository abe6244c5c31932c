using System.Diagnostics;
using System.Runtime.InteropServices;

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

    /// <summary>Runs run <paramref name="index"/> of the sweep file <paramref name="specFile"/> and waits for it; a stop request
    /// sends it SIGTERM. Returns its exit code.</summary>
    public static int Run(SlurmLauncher launcher, string specFile, string root, int index, int threads, string output, CancellationToken cancel)
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
