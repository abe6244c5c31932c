using System.Buffers.Binary;
using System.IO.Compression;

namespace Disentangle.FewShot;

/// <summary>Reads MNIST-style IDX files (uint8 images or labels), gzipped or not.</summary>
/// <remarks>Layout: big-endian magic <c>0x0000 08 D</c> (type 0x08 = uint8, D dimensions), D big-endian int32 sizes,
/// then the values row-major (LeCun et al., the MNIST page).</remarks>
public static class IdxFile
{
    /// <summary>Reads the sizes and the uint8 values of an IDX file (".gz" is decompressed).</summary>
    /// <exception cref="InvalidDataException">The file is not valid gzip, or the magic number, the type or the length is
    /// wrong (the message names the file).</exception>
    public static (int[] Shape, byte[] Values) Read(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        try { return Read(stream, path); }
        catch (EndOfStreamException e) { throw new InvalidDataException($"{path}: the file ends inside its header.", e); }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: not a readable gzip/IDX file ({e.Message}).", e);   // from GZipStream
        }
    }

    private static (int[] Shape, byte[] Values) Read(Stream stream, string path)
    {
        Span<byte> word = stackalloc byte[4];
        stream.ReadExactly(word);
        if (word[0] != 0 || word[1] != 0 || word[2] != 0x08 || word[3] is 0 or > 4)
            throw new InvalidDataException($"{path}: not a uint8 IDX file (magic bytes {Convert.ToHexString(word)}, expected 000008 then 1–4 dimensions).");
        var shape = new int[word[3]];
        long length = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            stream.ReadExactly(word);
            shape[d] = BinaryPrimitives.ReadInt32BigEndian(word);
            if (shape[d] < 0) throw new InvalidDataException($"{path}: dimension {d} is {shape[d]}.");
            length *= shape[d];
        }
        if (length > Array.MaxLength) throw new InvalidDataException($"{path}: {length} values do not fit in memory.");
        var values = new byte[length];
        try { stream.ReadExactly(values); }
        catch (EndOfStreamException e) { throw new InvalidDataException($"{path}: the file ends before its {length} values.", e); }
        return (shape, values);
    }
}
