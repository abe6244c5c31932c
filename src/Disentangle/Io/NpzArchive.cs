using System.IO.Compression;

namespace Disentangle.Io;

/// <summary>A NumPy <c>.npz</c> file: a zip archive of <c>.npy</c> arrays, one entry <c>NAME.npy</c> per array, stored
/// (<c>np.savez</c>) or deflated (<c>np.savez_compressed</c>). Arrays are read by name; headers can be read alone, so a
/// caller can check shapes and types before allocating anything.</summary>
public sealed class NpzArchive : IDisposable
{
    private readonly ZipArchive _zip;

    /// <summary>Opens <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">It is not a zip archive.</exception>
    public NpzArchive(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        if (!File.Exists(Path)) throw new FileNotFoundException($"'{Path}' does not exist.", Path);
        try { _zip = ZipFile.OpenRead(Path); }
        catch (InvalidDataException e) { throw new InvalidDataException($"'{Path}' is not a .npz file (not a zip archive: {e.Message}).", e); }
    }

    /// <summary>Full path of the archive.</summary>
    public string Path { get; }

    /// <summary>The names of the arrays (entry names without <c>.npy</c>), in archive order.</summary>
    public IReadOnlyList<string> Names => [.. _zip.Entries.Where(e => e.FullName.EndsWith(".npy", StringComparison.Ordinal)).Select(e => e.FullName[..^4])];

    /// <summary>Whether the archive holds an array called <paramref name="name"/>.</summary>
    public bool Contains(string name) => _zip.GetEntry(name + ".npy") is not null;

    /// <summary>The element type and shape of array <paramref name="name"/>, from its header alone.</summary>
    /// <exception cref="InvalidDataException">No such array.</exception>
    /// <exception cref="InvalidDataException">A malformed header, an unsupported dtype, or Fortran order.</exception>
    public (DataType Type, int[] Shape) Describe(string name)
    {
        using var stream = OpenData(name, out var header);
        return (header.DataType, header.Shape);
    }

    /// <summary>Reads array <paramref name="name"/> whole.</summary>
    /// <inheritdoc cref="Describe"/>
    public TensorData Read(string name)
    {
        using var stream = Open(name);
        return Npy.Read(stream, Source(name));
    }

    /// <summary>Opens array <paramref name="name"/> positioned at its first data byte (C order, <paramref name="header"/>'s type).</summary>
    internal Stream OpenData(string name, out NpyHeader header)
    {
        var stream = Open(name);
        try { header = Npy.ReadHeader(stream, Source(name)); }
        catch { stream.Dispose(); throw; }
        return stream;
    }

    /// <summary>"archive.npz/name.npy", for messages.</summary>
    internal string Source(string name) => $"{Path}/{name}.npy";

    /// <summary>Writes <paramref name="arrays"/> as <c>np.savez</c> does (entries <c>NAME.npy</c>, stored), atomically.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, TensorData> arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (name, array) in arrays)
            {
                using var entry = zip.CreateEntry(name + ".npy", CompressionLevel.NoCompression).Open();
                Npy.Write(entry, array);
            }
        });
    }

    /// <summary>Closes the archive.</summary>
    public void Dispose() => _zip.Dispose();

    private Stream Open(string name) => (_zip.GetEntry(name + ".npy")
        ?? throw new InvalidDataException($"'{Path}' holds no array '{name}' (it holds: {string.Join(", ", Names)}).")).Open();
}
