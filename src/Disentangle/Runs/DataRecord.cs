using System.Security.Cryptography;
using Disentangle.Io;

namespace Disentangle.Runs;

/// <summary>Which data file a run was trained on (<c>data.json</c> in the run folder): its path, size and SHA-256, so that
/// <c>train --resume</c> and <c>evaluate</c> refuse a different file at the same path, or the same path moved.</summary>
/// <param name="Path">Full path of the file given to <c>--data</c>.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Sha256">SHA-256 of its bytes, lower-case hex.</param>
public sealed record DataRecord(string Path, long Bytes, string Sha256)
{
    /// <summary>The record of the file at <paramref name="path"/>, or null for the embedded renderer (no path).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static DataRecord? Of(string? path)
    {
        if (string.IsNullOrEmpty(path)) return null;
        string full = System.IO.Path.GetFullPath(path);
        using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return new DataRecord(full, stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    /// <summary>Writes <paramref name="record"/> into the run folder (removes a stale file when there is no data file).</summary>
    public static void Save(RunFolder folder, DataRecord? record)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (record is not null) JsonFiles.Write(folder.Data, record);
        else if (File.Exists(folder.Data)) File.Delete(folder.Data);
    }

    /// <summary>Throws unless <paramref name="record"/> (the file in use now) is the one the run in <paramref name="folder"/>
    /// recorded; a run from before data records were kept has none and passes.</summary>
    /// <exception cref="InvalidDataException">The recorded file differs in size or content, or one side has no data file.</exception>
    public static void EnsureSame(RunFolder folder, DataRecord? record)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!File.Exists(folder.Data)) return;   // the embedded renderer, or a run from before data records: nothing to compare
        var saved = JsonFiles.Read<DataRecord>(folder.Data);
        if (record is null)
            throw new InvalidDataException($"'{folder.Path}' was trained on '{saved.Path}' but this run names no data file.");
        if (saved.Bytes != record.Bytes || !string.Equals(saved.Sha256, record.Sha256, StringComparison.Ordinal))
            throw new InvalidDataException($"'{record.Path}' ({record.Bytes:N0} bytes, SHA-256 {record.Sha256[..12]}…) is not the file the run in "
                + $"'{folder.Path}' was trained on ('{saved.Path}', {saved.Bytes:N0} bytes, SHA-256 {saved.Sha256[..12]}…); use that file, or train a new run.");
    }
}
