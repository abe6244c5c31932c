using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Disentangle.Io;

/// <summary>Writes a file through a temporary sibling, fsync, a rename and an fsync of the folder, so a reader (or a
/// process restarted after a kill or a power cut) sees either the previous file or the new one, never a part.</summary>
/// <remarks>Temporary files are named <c>.{name}.{32 hex digits}.tmp</c>; a kill leaves one behind, and
/// <see cref="RemoveStale"/> deletes them when a command starts on the folder. Every write goes through
/// <see cref="Faults"/> when set, which tests use to kill or fill the disk at the k-th write.</remarks>
public static partial class AtomicFile
{
    private static readonly AsyncLocal<FaultPlan?> s_faults = new();

    /// <summary>Fault injection for tests: the plan in effect for the current asynchronous flow (null: none).</summary>
    internal static FaultPlan? Faults
    {
        get => s_faults.Value;
        set => s_faults.Value = value;
    }

    /// <summary>Runs <paramref name="write"/> on a temporary file next to <paramref name="path"/>, fsyncs it, renames it
    /// over <paramref name="path"/> and fsyncs the folder; on failure the temporary file is deleted and any previous file
    /// at <paramref name="path"/> is untouched.</summary>
    /// <exception cref="IOException">The disk is full or the folder cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? ".";
        if (Directory.Exists(full)) throw new IOException($"Cannot write '{full}': it is a folder.");
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var plan = Faults;
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Stream stream = plan is null ? file : plan.Wrap(file, full);
                write(stream);
                stream.Flush();
                file.Flush(flushToDisk: true);
            }
            plan?.BeforeRename(full);
            File.Move(temporary, full, overwrite: true);
            SyncFolder(folder);
        }
        catch (SimulatedCrashException)
        {
            throw;   // a killed process deletes nothing: the temporary file stays, as after a real kill
        }
        catch
        {
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Atomic writing for libraries that only write to a path (a plot's <c>SavePng</c>): <paramref name="writeTo"/>
    /// writes the temporary path it is given; that file is then fsynced and renamed over <paramref name="path"/>.</summary>
    public static void WriteVia(string path, Action<string> writeTo)
    {
        ArgumentNullException.ThrowIfNull(writeTo);
        string? written = null;
        Write(path, stream =>
        {
            // the temporary file is open (and empty); the library writes a sibling, which is copied in through the stream
            written = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
            try
            {
                writeTo(written);
                using var source = new FileStream(written, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                source.CopyTo(stream);
            }
            finally
            {
                try { File.Delete(written); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        });
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteBytes(string path, ReadOnlyMemory<byte> bytes) => Write(path, stream => stream.Write(bytes.Span));

    /// <summary>Writes <paramref name="text"/> (UTF-8, no byte-order mark) to <paramref name="path"/> atomically.</summary>
    public static void WriteText(string path, string text) => WriteBytes(path, new System.Text.UTF8Encoding(false).GetBytes(text));

    /// <summary>Deletes the temporary files that a killed writer left in <paramref name="folder"/>; returns how many.</summary>
    public static int RemoveStale(string folder)
    {
        if (!Directory.Exists(folder)) return 0;
        int removed = 0;
        foreach (var file in Directory.EnumerateFiles(folder, ".*.tmp"))
        {
            if (!TemporaryName().IsMatch(Path.GetFileName(file))) continue;
            try { File.Delete(file); removed++; }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return removed;
    }

    /// <summary>Flushes a folder's entries (a rename or a new file) to disk: fsync on the folder's descriptor.</summary>
    public static void SyncFolder(string folder)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;   // Windows commits renames with the file
        int descriptor = Open(folder, 0 /* O_RDONLY */);
        if (descriptor < 0) return;   // a folder we cannot open for reading: the rename stands, only durability is weaker
        try { FSync(descriptor); }
        finally { Close(descriptor); }
    }

    [GeneratedRegex(@"^\..+\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex TemporaryName();

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int FSync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
