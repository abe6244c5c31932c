namespace Disentangle.Data.Hdf5;

/// <summary>Which HDF5 implementation <see cref="Hdf5Shapes"/> reads with.</summary>
public enum Hdf5Backend
{
    /// <summary>Native libhdf5 when it loads, PureHDF otherwise.</summary>
    Auto,

    /// <summary>Native libhdf5 by P/Invoke (Debian <c>libhdf5-103-1</c>): ~300 MB/s on the real file.</summary>
    Native,

    /// <summary>PureHDF (managed): works everywhere, ~11 MB/s on the real file.</summary>
    Managed,
}
