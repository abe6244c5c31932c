namespace Disentangle.Data.Hdf5;

/// <summary>Opens an HDF5 file for reading with the backend asked for: native libhdf5 when it loads, PureHDF otherwise.</summary>
internal static class Hdf5Readers
{
    /// <summary>Checks the superblock (signature, truncation) and opens a reader; <paramref name="used"/> says which backend.</summary>
    /// <exception cref="InvalidDataException">Not HDF5, truncated, or unreadable.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Hdf5Backend.Native"/> was asked for but libhdf5 does not load.</exception>
    public static IHdf5Reader Open(string path, Hdf5Backend backend, out Hdf5Backend used)
    {
        Hdf5Superblock.Check(path);
        var native = backend == Hdf5Backend.Managed ? null : NativeHdf5.Instance;
        if (backend == Hdf5Backend.Native && native is null)
            throw new InvalidOperationException("Native libhdf5 (libhdf5_serial.so.103, Debian libhdf5-103-1) could not be loaded; use Hdf5Backend.Managed or Auto.");
        used = native is null ? Hdf5Backend.Managed : Hdf5Backend.Native;
        return native is null ? new ManagedHdf5Reader(path) : new NativeHdf5Reader(native, path);
    }
}
