using Disentangle.Io;
using Disentangle.Tensors;
using Disentangle.Training;

namespace Disentangle.Cli;

/// <summary>Runs a command body; every failure becomes one readable line and a documented exit code (<see cref="ErrorReport"/>).</summary>
public static class CommandRunner
{
    /// <summary>Runs <paramref name="body"/>; an interrupted run prints <c>interrupted at step s of N; resume with --resume</c>
    /// and returns 143 (SIGTERM) or 130 (SIGINT); any other exception prints <c>error: …</c> and returns its <see cref="ExitCodes"/> value.</summary>
    public static int Run(Func<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try { return body(); }
        catch (TrainingInterruptedException e)
        {
            Console.Error.WriteLine(e.Message);
            return InterruptedExitCode;
        }
        catch (Exception e) { return ErrorReport.Print(e); }
    }

    /// <summary>The exit code of a run stopped by a signal: 143 after SIGTERM, 130 after SIGINT (or no signal seen).</summary>
    public static int InterruptedExitCode => StopSignal.ExitCode is 0 ? 130 : StopSignal.ExitCode;

    /// <summary>Prints the numeric backend (stderr) and the effective configuration (stdout) at the start of a run.</summary>
    public static void PrintConfig<T>(T options)
    {
        Console.Error.WriteLine(Gemm.Describe());
        Console.Error.WriteLine(Convolution.Describe());
        Console.Error.WriteLine(Parallelism.Describe());
        Console.WriteLine($"effective config ({typeof(T).Name}):");
        Console.WriteLine(ConfigFile.ToJson(options).ToJsonString(JsonFiles.Options));
    }
}
