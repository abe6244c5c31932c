using Disentangle.Experiments;
using Disentangle.Tensors;

namespace Disentangle.Cli;

/// <summary>Runs a command body and turns bad input into one readable message and exit code 2 (no stack trace).</summary>
public static class CommandRunner
{
    /// <summary>Runs <paramref name="body"/>; user errors print <c>error: …</c> and return 2.</summary>
    public static int Run(Func<int> body)
    {
        try { return body(); }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException or InvalidOperationException or IOException)
        {
            Console.Error.WriteLine($"error: {System.Text.RegularExpressions.Regex.Replace(e.Message, @"\s*\(Parameter '[^']*'\)$", "")}");
            return 2;
        }
    }

    /// <summary>Prints the numeric backend and the effective configuration at the start of a run.</summary>
    public static void PrintConfig<T>(T options)
    {
        Console.WriteLine(Gemm.Describe());
        Console.WriteLine(Convolution.Describe());
        Console.WriteLine(Parallelism.Describe());
        Console.WriteLine($"effective config ({typeof(T).Name}):");
        Console.WriteLine(ConfigFile.ToJson(options).ToJsonString(ConfigFile.Options));
    }
}
