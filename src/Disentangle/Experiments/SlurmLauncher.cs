namespace Disentangle.Experiments;

/// <summary>The command an array task (or a local sweep's run process) runs: a built <c>Disentangle.Cli.dll</c> under
/// <c>dotnet</c>, or an installed <c>disentangle</c> tool; never a launcher that builds or installs (the array's tasks
/// start at once and would race).</summary>
/// <param name="Command">The shell words, quoted, that start the CLI (e.g. <c>"/usr/bin/dotnet" "/x/Disentangle.Cli.dll"</c>).</param>
public sealed record SlurmLauncher(string Command)
{
    /// <summary>The CLI assembly at <paramref name="dll"/> under the <c>dotnet</c> host at <paramref name="dotnet"/>.</summary>
    public static SlurmLauncher ForAssembly(string dotnet, string dll) => new($"{Quote(dotnet)} {Quote(dll)}");

    /// <summary>A launcher given by the user: a <c>.dll</c> (run with <paramref name="dotnet"/>) or an executable, as a path
    /// (relative to the current folder) or a command on <c>PATH</c>; it must exist here.</summary>
    /// <exception cref="FileNotFoundException">Neither a file nor a command on PATH.</exception>
    /// <exception cref="ArgumentException">A script that builds or installs on demand (the repository's <c>./disentangle</c>).</exception>
    public static SlurmLauncher FromPath(string launcher, string dotnet)
    {
        string? found = File.Exists(launcher) ? Path.GetFullPath(launcher)
            : launcher.Contains('/') ? null : FindOnPath(launcher);
        if (found is null)
            throw new FileNotFoundException($"--launcher '{launcher}' does not exist (give the built Disentangle.Cli.dll, an installed 'disentangle' tool, or omit --launcher to use this CLI).", launcher);
        if (BuildsOnDemand(found))
            throw new ArgumentException($"--launcher '{launcher}' builds and installs on demand (like ./disentangle); array tasks start at once and must not. "
                + "Build once, then omit --launcher (the script runs the built Disentangle.Cli.dll) or give that dll or an installed tool.", nameof(launcher));
        return found.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ForAssembly(dotnet, found) : new SlurmLauncher(Quote(found));
    }

    /// <summary>Whether <paramref name="path"/> is a script that runs <c>dotnet build</c> or apt-get (the repository's launcher).</summary>
    private static bool BuildsOnDemand(string path)
    {
        using var stream = File.OpenRead(path);
        var head = new byte[4096];
        string text = System.Text.Encoding.UTF8.GetString(head, 0, stream.Read(head));
        return text.StartsWith("#!", StringComparison.Ordinal) && (text.Contains("dotnet build", StringComparison.Ordinal) || text.Contains("setup-deps", StringComparison.Ordinal));
    }

    /// <summary>The absolute path of <paramref name="command"/> on <c>PATH</c>, or null.</summary>
    public static string? FindOnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, command)).FirstOrDefault(File.Exists);

    /// <summary>A word in double quotes for bash (with \, ", $ and ` escaped).</summary>
    internal static string Quote(string word) => "\"" + word.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("$", "\\$").Replace("`", "\\`") + "\"";
}
