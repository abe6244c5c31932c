namespace Disentangle.Io;

/// <summary>Element types that the .npy and safetensors readers and <see cref="TensorData"/> read and write.</summary>
public enum DataType
{
    /// <summary>IEEE 754 binary32 (<c>float</c>; npy <c>&lt;f4</c>, safetensors <c>F32</c>).</summary>
    Float32,
    /// <summary>IEEE 754 binary64 (<c>double</c>; npy <c>&lt;f8</c>, safetensors <c>F64</c>).</summary>
    Float64,
    /// <summary>Signed 64-bit integer (<c>long</c>; npy <c>&lt;i8</c>, safetensors <c>I64</c>).</summary>
    Int64,
    /// <summary>Signed 32-bit integer (<c>int</c>; npy <c>&lt;i4</c>, safetensors <c>I32</c>).</summary>
    Int32,
    /// <summary>Unsigned byte (<c>byte</c>; npy <c>|u1</c>, safetensors <c>U8</c>).</summary>
    UInt8,
    /// <summary>Boolean stored as one byte 0 or 1 (<c>bool</c>; npy <c>|b1</c>, safetensors <c>BOOL</c>).</summary>
    Bool,
}

/// <summary>Sizes and CLR types of <see cref="DataType"/> values.</summary>
public static class DataTypes
{
    /// <summary>Bytes per element.</summary>
    public static int Size(this DataType type) => type switch
    {
        DataType.Float64 or DataType.Int64 => 8,
        DataType.Float32 or DataType.Int32 => 4,
        DataType.UInt8 or DataType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown data type."),
    };

    /// <summary>The CLR element type: float, double, long, int, byte or bool.</summary>
    public static Type ClrType(this DataType type) => type switch
    {
        DataType.Float32 => typeof(float),
        DataType.Float64 => typeof(double),
        DataType.Int64 => typeof(long),
        DataType.Int32 => typeof(int),
        DataType.UInt8 => typeof(byte),
        DataType.Bool => typeof(bool),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown data type."),
    };

    /// <summary>The data type of CLR element type <typeparamref name="T"/>.</summary>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not float, double, long, int, byte or bool.</exception>
    public static DataType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return DataType.Float32;
        if (typeof(T) == typeof(double)) return DataType.Float64;
        if (typeof(T) == typeof(long)) return DataType.Int64;
        if (typeof(T) == typeof(int)) return DataType.Int32;
        if (typeof(T) == typeof(byte)) return DataType.UInt8;
        if (typeof(T) == typeof(bool)) return DataType.Bool;
        throw new ArgumentException($"Element type {typeof(T).Name} is not supported; use float, double, long, int, byte or bool.", nameof(T));
    }
}
