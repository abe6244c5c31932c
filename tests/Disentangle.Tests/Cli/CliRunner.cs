using Disentangle.Cli;
using Disentangle.Tensors;

namespace Disentangle.Tests.Cli;

/// <summary>Runs the <c>disentangle</c> command in process as <c>Program</c> does (<see cref="CliApp.Run"/>), with stdout and
/// stderr captured together; the thread policy a <c>--threads</c> flag changed is restored afterwards.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Output) Run(params string[] args)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        var output = new StringWriter();
        Console.SetOut(output);
        Console.SetError(output);
        int threads = Parallelism.MaxThreads;
        try { return (CliApp.Run(args), output.ToString()); }
        finally { Console.SetOut(stdout); Console.SetError(stderr); Parallelism.Set(threads, "restored by the test"); }
    }
}
