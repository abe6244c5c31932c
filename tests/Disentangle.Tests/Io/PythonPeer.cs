using System.Diagnostics;

namespace Disentangle.Tests.Io;

/// <summary>Runs Debian's /usr/bin/python3 (which has numpy) on the scripts in tests/fixtures.</summary>
public static class PythonPeer
{
    public const string Interpreter = "/usr/bin/python3";

    private static readonly Lazy<string?> NumpyMissing = new(() =>
    {
        if (!File.Exists(Interpreter)) return $"{Interpreter} not found";
        try
        {
            var (code, _, error) = Run(["-c", "import numpy"]);
            return code == 0 ? null : $"{Interpreter} cannot import numpy: {error.Trim()}";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException) { return $"{Interpreter} cannot start: {e.Message}"; }
    });

    /// <summary>Why the Python peer cannot run, or null when it can.</summary>
    public static string? Unavailable => NumpyMissing.Value;

    /// <summary>The repository's tests/fixtures folder (found by walking up from the test binaries to Disentangle.sln).</summary>
    public static string FixtureScript(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Disentangle.sln")))
                return Path.Combine(dir.FullName, "tests", "fixtures", name);
        throw new InvalidOperationException($"No Disentangle.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>Runs a fixture script and returns its standard output; fails the test with its error output otherwise.</summary>
    public static string RunScript(string script, params string[] args)
    {
        var (code, output, error) = Run([FixtureScript(script), .. args]);
        Assert.True(code == 0, $"{script} exited with {code}:\n{error}");
        return output;
    }

    private static (int Code, string Output, string Error) Run(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000)) { process.Kill(); throw new TimeoutException($"{Interpreter} did not finish in 60 s."); }
        return (process.ExitCode, output, error.Result);
    }
}

/// <summary>A fact that is skipped, with the reason, when /usr/bin/python3 or numpy is missing.</summary>
public sealed class PythonFactAttribute : FactAttribute
{
    public PythonFactAttribute()
    {
        if (PythonPeer.Unavailable is { } reason) Skip = $"Python interop skipped: {reason} (install python3-numpy).";
    }
}
