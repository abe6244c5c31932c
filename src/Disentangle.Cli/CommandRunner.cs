using Disentangle.Experiments;
using Disentangle.Io;
using Disentangle.Tensors;
using Disentangle.Training;

namespace Disentangle.Cli;

/// <summary>Runs a command body and turns bad input into one readable message and exit code 2 (no stack trace).</summary>
public static class CommandRunner
{
    /// <summary>Runs <paramref name="body"/>; user errors print <c>error: …</c> and return 2; an interrupted run prints
    /// <c>interrupted at step s of N; resume with --resume</c> and returns 143 (SIGTERM) or 130 (SIGINT).</summary>
    public static int Run(Func<int> body)
    {
        try { return body(); }
        catch (TrainingDivergedException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 3;
        }
        catch (TrainingInterruptedException e)
        {
            Console.Error.WriteLine(e.Message);
            return InterruptedExitCode;
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException or InvalidOperationException or IOException)
        {
            Console.Error.WriteLine($"error: {System.Text.RegularExpressions.Regex.Replace(e.Message, @"\s*\(Parameter '[^']*'\)$", "")}");
            return 2;
        }
    }

    /// <summary>The exit code of a run stopped by a signal: 143 after SIGTERM, 130 after SIGINT (or no signal seen).</summary>
    public static int InterruptedExitCode => StopSignal.ExitCode is 0 ? 130 : StopSignal.ExitCode;

    /// <summary>Prints the numeric backend and the effective configuration at the start of a run.</summary>
    public static void PrintConfig<T>(T options)
    {
        Console.WriteLine(Gemm.Describe());
        Console.WriteLine($"effective config ({typeof(T).Name}):");
        Console.WriteLine(ConfigFile.ToJson(options).ToJsonString(JsonFiles.Options));
    }
}
