using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Disentangle.Tests.Cli;

/// <summary>The built CLI (<c>dotnet Disentangle.Cli.dll</c>) as a child process whose output is collected line by line,
/// for what only a real process shows: exit codes, signals, and jobs run by Slurm.</summary>
public sealed partial class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>The CLI assembly copied beside the tests.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "Disentangle.Cli.dll");

    /// <summary>The dotnet host running these tests (or the one on PATH).</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } path && Path.GetFileName(path) == "dotnet" ? path : "dotnet";

    public CliProcess(params string[] arguments)
    {
        var start = new ProcessStartInfo(Dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything printed so far (stdout and stderr interleaved).</summary>
    public string Output => string.Join("\n", _lines);

    /// <summary>Waits until a line satisfies <paramref name="match"/>; false if the process ended or time ran out first.</summary>
    public bool WaitForLine(Func<string, bool> match, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_lines.Any(match)) return true;
            if (_process.HasExited) return _lines.Any(match);
            Thread.Sleep(20);
        }
        return false;
    }

    /// <summary>Sends a POSIX signal (15 SIGTERM, 2 SIGINT) to the process.</summary>
    public void Signal(int signal) => Assert.Equal(0, Kill(_process.Id, signal));

    /// <summary>Waits for the exit and returns the exit code (the output is then complete).</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        Assert.True(_process.WaitForExit(timeout), $"the CLI did not exit within {timeout}:\n{Output}");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Runs the CLI to its end; returns the exit code and the output.</summary>
    public static (int Code, string Output) Run(TimeSpan timeout, params string[] arguments)
    {
        using var process = new CliProcess(arguments);
        int code = process.WaitForExit(timeout);
        return (code, process.Output);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
