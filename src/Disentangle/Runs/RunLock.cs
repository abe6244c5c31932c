namespace Disentangle.Runs;

/// <summary>An exclusive lock on a run folder (<c>.lock</c>, an advisory <c>flock</c> held while open), so a second
/// process — or a second run object in this process — cannot train into, resume or rewrite the same folder at once.</summary>
/// <remarks>The lock file itself stays in the folder; the lock goes with the process, so a killed run leaves no stale lock.</remarks>
public sealed class RunLock : IDisposable
{
    private FileStream? _file;

    private RunLock(FileStream file) => _file = file;

    /// <summary>The lock file's name inside a run folder.</summary>
    public const string FileName = ".lock";

    /// <summary>Takes the lock on <paramref name="folder"/> (which must exist).</summary>
    /// <exception cref="InvalidOperationException">Another process (or another run object) holds it.</exception>
    public static RunLock Acquire(string folder)
    {
        string path = Path.Combine(folder, FileName);
        try { return new RunLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)); }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException && File.Exists(path))
        {
            throw new InvalidOperationException($"'{folder}' is in use by another process (it holds {FileName}); wait for it to finish or choose another --out.", e);
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }
}
