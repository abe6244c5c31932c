using System.Runtime.InteropServices;
using Disentangle.Tensors;

namespace Disentangle.Io;

/// <summary>A typed, shaped array as stored in a file: element type, shape (row-major, C order) and the values.</summary>
/// <remarks>The payload is one of <c>float[]</c>, <c>double[]</c>, <c>long[]</c>, <c>int[]</c>, <c>byte[]</c>,
/// <c>bool[]</c>, matching <see cref="DataType"/>; it is wrapped, not copied. A rank-0 shape <c>[]</c> holds one value.</remarks>
public sealed class TensorData
{
    private TensorData(DataType type, int[] shape, Array data)
    {
        DataType = type;
        Shape = shape;
        Data = data;
    }

    /// <summary>The element type.</summary>
    public DataType DataType { get; }

    /// <summary>The dimensions, outermost first; empty for a scalar.</summary>
    public int[] Shape { get; }

    /// <summary>The values in C order: an array of the CLR type of <see cref="DataType"/>.</summary>
    public Array Data { get; }

    /// <summary>Number of elements.</summary>
    public int Length => Data.Length;

    /// <summary>Wraps <paramref name="data"/> (not copied) with the given shape.</summary>
    /// <param name="data">Values in C order; float, double, long, int, byte or bool.</param>
    /// <param name="shape">Dimensions; their product must equal the data length.</param>
    /// <exception cref="ArgumentException">Unsupported element type, a negative dimension, or a length mismatch.</exception>
    public static TensorData Create<T>(T[] data, int[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        var type = DataTypes.Of<T>();
        long count = ElementCount(shape, nameof(shape));
        if (count != data.Length)
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] holds {count} values but the data has {data.Length}.", nameof(data));
        return new TensorData(type, (int[])shape.Clone(), data);
    }

    /// <summary>A rank-0 tensor holding <paramref name="value"/>.</summary>
    public static TensorData Scalar<T>(T value) where T : unmanaged => Create(new[] { value }, []);

    /// <summary>Wraps the values of a float32 <see cref="Tensor"/> (not copied).</summary>
    public static TensorData FromTensor(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return new TensorData(DataType.Float32, (int[])tensor.Shape.Clone(), tensor.Data);
    }

    /// <summary>A float32 <see cref="Tensor"/> wrapping these values (not copied).</summary>
    /// <exception cref="InvalidOperationException">The data type is not <see cref="DataType.Float32"/>.</exception>
    public Tensor ToTensor() => new(As<float>(), Shape);

    /// <summary>The values as <typeparamref name="T"/>[] (the stored array itself).</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> does not match <see cref="DataType"/>.</exception>
    public T[] As<T>() where T : unmanaged =>
        Data as T[] ?? throw new InvalidOperationException($"Tensor data is {DataType} {ShapeText(Shape)}, not {typeof(T).Name}.");

    /// <summary>The single value of a tensor with one element (a scalar or shape [1]).</summary>
    /// <exception cref="InvalidOperationException">Wrong element type, or not exactly one element.</exception>
    public T ScalarValue<T>() where T : unmanaged
    {
        var values = As<T>();
        if (values.Length != 1) throw new InvalidOperationException($"Tensor data {ShapeText(Shape)} has {values.Length} elements, not one.");
        return values[0];
    }

    /// <summary>The raw bytes of the values in host (little-endian) order, without copying.</summary>
    public ReadOnlySpan<byte> Bytes => RawBytes(Data);

    /// <summary>Whether <paramref name="other"/> has the same type, shape and bytes (so NaN payloads and −0 count).</summary>
    public bool BitwiseEquals(TensorData other) =>
        other is not null && DataType == other.DataType && Shape.AsSpan().SequenceEqual(other.Shape) && Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc/>
    public override string ToString() => $"{DataType} {ShapeText(Shape)}";

    /// <summary>A zero-filled tensor of the given type and shape (for readers).</summary>
    internal static TensorData Allocate(DataType type, int[] shape)
    {
        long count = ElementCount(shape, nameof(shape));
        if (count > Array.MaxLength)
            throw new ArgumentException($"Shape {ShapeText(shape)} holds {count} values, more than one array can.", nameof(shape));
        return new TensorData(type, shape, Array.CreateInstance(type.ClrType(), (int)count));
    }

    /// <summary>Writable raw bytes of a freshly allocated tensor (for readers).</summary>
    internal Span<byte> WritableBytes() => RawBytes(Data);

    internal static string ShapeText(ReadOnlySpan<int> shape) => $"[{string.Join(", ", shape.ToArray())}]";

    /// <summary>Product of the dimensions; throws on negative dimensions or a product beyond <see cref="long.MaxValue"/>.</summary>
    internal static long ElementCount(ReadOnlySpan<int> shape, string parameter)
    {
        foreach (int d in shape)
            if (d < 0) throw new ArgumentException($"Shape {ShapeText(shape)} has a negative dimension.", parameter);
        if (shape.Contains(0)) return 0;
        long count = 1;
        foreach (int d in shape)
        {
            if (count > long.MaxValue / d) throw new ArgumentException($"Shape {ShapeText(shape)} has too many elements.", parameter);
            count *= d;
        }
        return count;
    }

    private static Span<byte> RawBytes(Array data) => data switch
    {
        float[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        double[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        long[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        int[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        byte[] a => a.AsSpan(),
        bool[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        _ => throw new InvalidOperationException($"Unsupported payload {data.GetType().Name}."),
    };
}
