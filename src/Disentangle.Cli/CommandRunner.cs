using Disentangle.Io;
using Disentangle.Tensors;

namespace Disentangle.Cli;

/// <summary>Runs a command body; every failure becomes one readable line and a documented exit code (<see cref="ErrorReport"/>).</summary>
public static class CommandRunner
{
    /// <summary>Runs <paramref name="body"/>; any exception prints <c>error: …</c> and returns its <see cref="ExitCodes"/> value.</summary>
    public static int Run(Func<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try { return body(); }
        catch (Exception e) { return ErrorReport.Print(e); }
    }

    /// <summary>Prints the numeric backend (stderr) and the effective configuration (stdout) at the start of a run.</summary>
    public static void PrintConfig<T>(T options)
    {
        Console.Error.WriteLine(Gemm.Describe());
        Console.WriteLine($"effective config ({typeof(T).Name}):");
        Console.WriteLine(ConfigFile.ToJson(options).ToJsonString(JsonFiles.Options));
    }
}
