using System.Text.Json;
using System.Text.RegularExpressions;
using Disentangle.Training;

namespace Disentangle.Cli;

/// <summary>Turns any exception that reaches the command line into one line naming the problem and a documented exit
/// code (<see cref="ExitCodes"/>): no exception type or stack trace reaches the user.</summary>
public static partial class ErrorReport
{
    /// <summary>The exit code and the one-line message (without the <c>error: </c> prefix) for <paramref name="error"/>.</summary>
    public static (int Code, string Message) Describe(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        error = Unwrap(error);
        return error switch
        {
            TrainingDivergedException => (ExitCodes.Diverged, OneLine(error.Message)),
            OperationCanceledException => (ExitCodes.Interrupted, "interrupted"),
            ArgumentOutOfRangeException range => (ExitCodes.BadInput, FlagMessage(range)),
            ArgumentException argument => (ExitCodes.BadInput, FlagMessage(argument)),
            UnauthorizedAccessException => (ExitCodes.BadInput, $"permission denied: {OneLine(error.Message)}"),
            OutOfMemoryException or InsufficientMemoryException =>
                (ExitCodes.BadInput, "not enough memory for the sizes asked for; lower the sample, task or feature counts"),
            OverflowException => (ExitCodes.BadInput, $"a size is too large to represent ({OneLine(error.Message)}); lower it"),
            IOException io when io.HResult == 28 || io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) =>
                (ExitCodes.BadInput, $"the disk is full: {OneLine(error.Message)}"),
            InvalidDataException or FileNotFoundException or DirectoryNotFoundException or IOException or InvalidOperationException
                or JsonException or NotSupportedException or FormatException or DllNotFoundException or TypeInitializationException =>
                (ExitCodes.BadInput, OneLine(error.Message)),
            _ => (ExitCodes.BadInput, $"{OneLine(error.Message)} (an unexpected failure; please report it with the command line)"),
        };
    }

    /// <summary>Prints <c>error: …</c> to stderr and returns the exit code.</summary>
    public static int Print(Exception error)
    {
        var (code, message) = Describe(error);
        Console.Error.WriteLine($"error: {message}");
        return code;
    }

    /// <summary>The command-line flag of an options-record property: <c>EvalSamples</c> → <c>--eval-samples</c>.</summary>
    public static string FlagOf(string property) =>
        "--" + UpperCase().Replace(property, m => (m.Index > 0 ? "-" : "") + m.Value.ToLowerInvariant());

    private static Exception Unwrap(Exception error)
    {
        while (true)
        {
            switch (error)
            {
                case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                    error = aggregate.Flatten().InnerExceptions[0];
                    break;
                case TypeInitializationException { InnerException: { } inner }:
                    error = inner;
                    break;
                case System.Reflection.TargetInvocationException { InnerException: { } inner }:
                    error = inner;
                    break;
                default:
                    return error;
            }
        }
    }

    /// <summary>An argument error's message with the options-record name replaced by the flag and .NET's
    /// "(Parameter 'X')" / "Actual value was" tails removed.</summary>
    private static string FlagMessage(ArgumentException error)
    {
        string message = OneLine(ParameterTail().Replace(error.Message.Split('\n')[0], ""));
        string? name = error.ParamName;
        if (string.IsNullOrEmpty(name) || !char.IsUpper(name[0])) return message;
        string flag = FlagOf(name);
        string replaced = Regex.Replace(message, $@"\b{Regex.Escape(name)}\b", flag);
        return replaced == message ? $"{flag}: {message}" : replaced;
    }

    private static string OneLine(string message) => WhiteSpace().Replace(message, " ").Trim();

    [GeneratedRegex(@"\s*\(Parameter '[^']*'\)")]
    private static partial Regex ParameterTail();

    [GeneratedRegex(@"[A-Z]")]
    private static partial Regex UpperCase();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
