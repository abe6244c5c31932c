using System.Buffers.Binary;
using System.Text;

namespace Disentangle.Io;

/// <summary>Reads and writes NumPy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0; C order).</summary>
/// <remarks>Layout: magic <c>\x93NUMPY</c>, version (major, minor), header length (uint16 for 1.0, uint32 for 2.0/3.0,
/// little-endian), the header dict padded with spaces and a newline so the data starts at a multiple of 64 bytes, then
/// the raw values. Writes version 1.0 (2.0 only for headers of 64 KiB or more) and little-endian values; reads either
/// byte order. Spec: numpy.lib.format (NEP 1).</remarks>
public static class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private const int Alignment = 64;

    /// <summary>Writes <paramref name="data"/> with the given shape to <paramref name="path"/> (atomically).</summary>
    /// <param name="path">Destination file; replaced if it exists.</param>
    /// <param name="data">Values in C order: float, double, long, int, byte or bool.</param>
    /// <param name="shape">Dimensions; their product must equal the data length (empty for a scalar).</param>
    /// <exception cref="ArgumentException">Unsupported element type or a shape that does not match the data.</exception>
    public static void Write<T>(string path, T[] data, int[] shape) where T : unmanaged => Write(path, TensorData.Create(data, shape));

    /// <summary>Writes <paramref name="tensor"/> to <paramref name="path"/> through a temporary file and a rename.</summary>
    public static void Write(string path, TensorData tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        AtomicFile.Write(path, stream => Write(stream, tensor));
    }

    /// <summary>Writes <paramref name="tensor"/> in .npy format at the current position of <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, TensorData tensor)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensor);
        byte[] dict = Encoding.ASCII.GetBytes(NpyHeader.Format(tensor.DataType, tensor.Shape));
        bool v1 = Magic.Length + 2 + 2 + dict.Length + 1 <= ushort.MaxValue;
        int prefix = Magic.Length + 2 + (v1 ? 2 : 4);
        int headerLength = (prefix + dict.Length + 1 + Alignment - 1) / Alignment * Alignment - prefix;
        var header = new byte[prefix + headerLength];
        Magic.CopyTo(header, 0);
        header[6] = v1 ? (byte)1 : (byte)2;
        header[7] = 0;
        if (v1) BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)headerLength);
        else BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), (uint)headerLength);
        dict.CopyTo(header, prefix);
        header.AsSpan(prefix + dict.Length).Fill((byte)' ');
        header[^1] = (byte)'\n';
        stream.Write(header);
        stream.Write(LittleEndian.Bytes(tensor));
    }

    /// <summary>Reads the array stored in <paramref name="path"/>.</summary>
    /// <returns>The element type, shape and values (converted to host byte order).</returns>
    /// <exception cref="InvalidDataException">Not a .npy file, unsupported version or dtype, Fortran order, a malformed
    /// header, a truncated file or bytes after the data; the message names the file.</exception>
    public static TensorData Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var tensor = Read(stream, path);
        if (stream.Position != stream.Length)
            throw new InvalidDataException($"{path}: {stream.Length - stream.Position} unexpected bytes after the array data.");
        return tensor;
    }

    /// <summary>Reads one .npy array from the current position of <paramref name="stream"/>.</summary>
    /// <param name="stream">Source, positioned at the magic bytes; left just after the array data.</param>
    /// <param name="source">Name of the source used in error messages (a file name).</param>
    /// <inheritdoc cref="Read(string)"/>
    public static TensorData Read(Stream stream, string source)
    {
        var header = ReadHeader(stream, source);
        TensorData tensor;
        try { tensor = TensorData.Allocate(header.DataType, header.Shape); }
        catch (ArgumentException e) { throw new InvalidDataException($"{source}: {e.Message}", e); }
        var bytes = tensor.WritableBytes();
        ReadFully(stream, bytes, source, $"{header.DataType} data of shape {TensorData.ShapeText(header.Shape)}");
        if (header.NeedsByteSwap) LittleEndian.SwapInPlace(bytes, header.DataType.Size());
        LittleEndian.ValidateBools(tensor, source);
        return tensor;
    }

    /// <summary>Reads the magic, version and header dict of a .npy array at the current position of <paramref name="stream"/>,
    /// leaving the stream at the first data byte; refuses Fortran order.</summary>
    /// <exception cref="InvalidDataException">Not a .npy array, an unsupported version or dtype, Fortran order, or a malformed header.</exception>
    internal static NpyHeader ReadHeader(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> prefix = stackalloc byte[8];
        ReadFully(stream, prefix, source, "magic and version");
        if (!prefix[..6].SequenceEqual(Magic))
            throw new InvalidDataException($"{source}: not a .npy file (the first bytes are not \\x93NUMPY).");
        byte major = prefix[6];
        if (major is not (1 or 2 or 3))
            throw new InvalidDataException($"{source}: unsupported .npy format version {major}.{prefix[7]} (supported: 1.0, 2.0, 3.0).");
        Span<byte> lengthBytes = stackalloc byte[major == 1 ? 2 : 4];
        ReadFully(stream, lengthBytes, source, "header length");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes) : BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        if (stream.CanSeek && headerLength > stream.Length - stream.Position)
            throw new InvalidDataException($"{source}: truncated .npy file (header of {headerLength} bytes, {stream.Length - stream.Position} left).");
        if (headerLength > 1 << 24)
            throw new InvalidDataException($"{source}: .npy header length {headerLength} is implausibly large.");
        var headerBytes = new byte[headerLength];
        ReadFully(stream, headerBytes, source, "header");
        string text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var header = NpyHeader.Parse(text, source);
        if (header.FortranOrder)
            throw new InvalidDataException($"{source}: Fortran-order arrays are not supported; save with np.ascontiguousarray.");
        return header;
    }

    internal static void ReadFully(Stream stream, Span<byte> buffer, string source, string what)
    {
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
            throw new InvalidDataException($"{source}: truncated .npy file ({what} needs {buffer.Length} bytes, only {read} left).");
    }
}
