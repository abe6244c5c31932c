using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Disentangle.Io;

/// <summary>Byte-order helpers: the file formats store little-endian values.</summary>
internal static class LittleEndian
{
    /// <summary>The little-endian bytes of the values (the payload itself on little-endian hosts).</summary>
    public static ReadOnlySpan<byte> Bytes(TensorData tensor)
    {
        if (BitConverter.IsLittleEndian || tensor.DataType.Size() == 1) return tensor.Bytes;
        var copy = tensor.Bytes.ToArray();
        SwapInPlace(copy, tensor.DataType.Size());
        return copy;
    }

    /// <summary>Reverses the byte order of each <paramref name="size"/>-byte element.</summary>
    public static void SwapInPlace(Span<byte> bytes, int size)
    {
        switch (size)
        {
            case 8: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ulong>(bytes), MemoryMarshal.Cast<byte, ulong>(bytes)); break;
            case 4: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(bytes), MemoryMarshal.Cast<byte, uint>(bytes)); break;
        }
    }

    /// <summary>Converts freshly read file bytes to host order (a no-op on little-endian hosts).</summary>
    public static void ToHost(Span<byte> bytes, int size)
    {
        if (!BitConverter.IsLittleEndian) SwapInPlace(bytes, size);
    }

    /// <summary>Throws unless every byte of a Bool tensor is 0 or 1 (any other byte is not a valid CLR bool).</summary>
    public static void ValidateBools(TensorData tensor, string source)
    {
        if (tensor.DataType != DataType.Bool) return;
        int bad = tensor.Bytes.IndexOfAnyExcept((byte)0, (byte)1);
        if (bad >= 0)
            throw new InvalidDataException($"{source}: boolean element {bad} holds byte {tensor.Bytes[bad]}; only 0 and 1 are valid.");
    }
}
