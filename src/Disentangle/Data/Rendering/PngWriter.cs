using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Disentangle.Data.Rendering;

/// <summary>A minimal PNG encoder for 8-bit RGB images (no native dependency).</summary>
/// <remarks>Writes the signature, IHDR (colour type 2, bit depth 8), one zlib-compressed IDAT with filter 0 on every
/// row, and IEND; each chunk carries its CRC-32 (ISO 3309).</remarks>
public static class PngWriter
{
    private static readonly uint[] s_crcTable = BuildCrcTable();

    /// <summary>Writes an RGB image (row-major, 3 bytes per pixel) as a PNG file.</summary>
    /// <exception cref="ArgumentException">Non-positive size, or <paramref name="rgb"/> is not width·height·3 bytes.</exception>
    public static void Write(string path, int width, int height, ReadOnlySpan<byte> rgb)
    {
        byte[] pixels = rgb.ToArray();
        Io.AtomicFile.Write(path, stream => Write(stream, width, height, pixels));
    }

    /// <inheritdoc cref="Write(string, int, int, ReadOnlySpan{byte})"/>
    public static void Write(Stream stream, int width, int height, ReadOnlySpan<byte> rgb)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (rgb.Length != (long)width * height * 3)
            throw new ArgumentException($"A {width}×{height} RGB image has {(long)width * height * 3} bytes; got {rgb.Length}.", nameof(rgb));
        stream.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;   // bit depth
        header[9] = 2;   // colour type: RGB
        WriteChunk(stream, "IHDR", header);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            for (int row = 0; row < height; row++)
            {
                zlib.WriteByte(0);   // filter type 0 (none)
                zlib.Write(rgb.Slice(row * width * 3, width * 3));
            }
        WriteChunk(stream, "IDAT", compressed.ToArray());
        WriteChunk(stream, "IEND", []);
    }

    private static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        uint crc = Update(Update(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        stream.Write(word);
    }

    private static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = s_crcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
