using System.Buffers.Binary;

namespace Disentangle.Data.Hdf5;

/// <summary>Reads the HDF5 superblock's end-of-file address to tell a truncated file from a corrupt one, before either
/// backend opens it (PureHDF would only fail later, on the first missing chunk).</summary>
/// <remarks>The superblock sits at offset 0, 512, 1024, 2048, … with the signature <c>\x89HDF\r\n\x1a\n</c>. Versions 0/1
/// store base address and end-of-file address after fixed fields; versions 2/3 right after the flags.</remarks>
internal static class Hdf5Superblock
{
    private static readonly byte[] s_signature = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <exception cref="InvalidDataException">No HDF5 signature, or the file is shorter than its superblock says.</exception>
    public static void Check(string path)
    {
        var (header, length) = Find(path);
        if (header is null) throw new InvalidDataException($"'{path}' is not an HDF5 file (no HDF5 signature found).");
        long? end = StoredEnd(header);
        if (end is long e && e > length)
            throw new InvalidDataException($"'{path}' is truncated: it has {length:N0} bytes but its HDF5 superblock records {e:N0}.");
    }

    /// <summary>Whether the file carries an HDF5 signature at one of the superblock offsets.</summary>
    public static bool HasSignature(string path) => Find(path).Header is not null;

    // The bytes from the superblock's signature on (up to 96), or null without a signature; and the file's length.
    private static (byte[]? Header, long Length) Find(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = stream.Length;
        var header = new byte[96];
        for (long at = 0; at + s_signature.Length <= length; at = at == 0 ? 512 : at * 2)
        {
            stream.Position = at;
            int read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            if (read < s_signature.Length || !header.AsSpan(0, s_signature.Length).SequenceEqual(s_signature)) continue;
            return (header[..read], length);
        }
        return (null, length);
    }

    // Base address + end-of-file address, or null when the header is too short or of an unknown version.
    private static long? StoredEnd(ReadOnlySpan<byte> h)
    {
        int version = h[8];
        int offsets, at;
        if (version is 0 or 1)
        {
            offsets = h[13];
            at = 24 + (version == 1 ? 4 : 0);           // fixed fields, then base address
        }
        else if (version is 2 or 3)
        {
            offsets = h[9];
            at = 12;
        }
        else return null;
        if (offsets is not (4 or 8) || at + 3 * offsets > h.Length) return null;
        long baseAddress = Address(h, at, offsets);
        long endOfFile = Address(h, at + 2 * offsets, offsets);   // v0/1: after free-space address; v2/3: after extension address
        return endOfFile < 0 || baseAddress < 0 ? null : baseAddress + endOfFile;   // all ones = undefined address
    }

    private static long Address(ReadOnlySpan<byte> h, int at, int size) =>
        size == 8 ? (long)BinaryPrimitives.ReadUInt64LittleEndian(h[at..]) : BinaryPrimitives.ReadUInt32LittleEndian(h[at..]);
}
