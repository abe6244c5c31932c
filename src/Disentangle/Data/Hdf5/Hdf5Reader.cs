namespace Disentangle.Data.Hdf5;

/// <summary>Element type class of an HDF5 dataset, as far as the loader cares.</summary>
internal enum Hdf5TypeClass { Integer, Float, Other }

/// <summary>Shape and element type of one dataset.</summary>
internal sealed record Hdf5DatasetInfo(ulong[] Dimensions, Hdf5TypeClass Class, int Size, bool Signed)
{
    public string TypeName => Class switch
    {
        Hdf5TypeClass.Integer => $"{(Signed ? "int" : "uint")}{8 * Size}",
        Hdf5TypeClass.Float => $"float{8 * Size}",
        _ => $"a non-numeric type of {Size} bytes",
    };

    public string ShapeText => $"[{string.Join(", ", Dimensions)}]";
}

/// <summary>Reads whole rows (first-axis slices) of datasets in one HDF5 file: native libhdf5 or PureHDF.</summary>
internal interface IHdf5Reader : IDisposable
{
    /// <summary>Shape and type of a dataset, or null when the file has none by that name.</summary>
    Hdf5DatasetInfo? Describe(string dataset);

    /// <summary>Reads the given rows (ascending, distinct) of a uint8 dataset into <paramref name="destination"/>, in order.</summary>
    void ReadRows(string dataset, ReadOnlySpan<int> rows, Span<byte> destination);

    /// <summary>Reads the given rows (ascending, distinct) of a float64 dataset into <paramref name="destination"/>, in order.</summary>
    void ReadRows(string dataset, ReadOnlySpan<int> rows, Span<double> destination);
}
