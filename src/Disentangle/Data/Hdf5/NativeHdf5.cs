using System.Runtime.InteropServices;
using System.Text;

namespace Disentangle.Data.Hdf5;

/// <summary>The few libhdf5 C functions the loader needs, bound by function pointer (no DllImport resolver, so it cannot
/// clash with other native bindings in the assembly). <c>hid_t</c> is <c>long</c> (HDF5 ≥ 1.10), <c>herr_t</c> is <c>int</c>.</summary>
/// <remarks>libhdf5 (serial build) is not thread-safe: every call goes through <see cref="Gate"/>. The native type ids
/// (<c>H5T_NATIVE_UCHAR_g</c>, …) are global variables set by <c>H5open</c>, read from the library's exports.</remarks>
internal sealed unsafe class NativeHdf5
{
    private static readonly string[] s_candidates = ["libhdf5_serial.so.103", "libhdf5.so.103", "libhdf5_serial.so", "libhdf5.so", "hdf5"];
    private static readonly Lazy<NativeHdf5?> s_instance = new(TryLoad, LazyThreadSafetyMode.ExecutionAndPublication);

    public const uint ReadOnly = 0;          // H5F_ACC_RDONLY
    public const long Default = 0;           // H5P_DEFAULT, H5E_DEFAULT
    public const int SelectSet = 0, SelectOr = 1;
    public const int ClassInteger = 0, ClassFloat = 1;

    public static NativeHdf5? Instance => s_instance.Value;
    public static readonly object Gate = new();

    public readonly long NativeUInt8, NativeDouble;
    public readonly string LibraryName;

    public readonly delegate* unmanaged<byte*, uint, long, long> Fopen;
    public readonly delegate* unmanaged<long, int> Fclose;
    public readonly delegate* unmanaged<long, byte*, long, int> Lexists;
    public readonly delegate* unmanaged<long, byte*, long, long> Dopen2;
    public readonly delegate* unmanaged<long, int> Dclose;
    public readonly delegate* unmanaged<long, long> DgetSpace;
    public readonly delegate* unmanaged<long, long> DgetType;
    public readonly delegate* unmanaged<long, int> TgetClass;
    public readonly delegate* unmanaged<long, nuint> TgetSize;
    public readonly delegate* unmanaged<long, int> TgetSign;
    public readonly delegate* unmanaged<long, int> Tclose;
    public readonly delegate* unmanaged<long, int> SgetSimpleExtentNdims;
    public readonly delegate* unmanaged<long, ulong*, ulong*, int> SgetSimpleExtentDims;
    public readonly delegate* unmanaged<int, ulong*, ulong*, long> ScreateSimple;
    public readonly delegate* unmanaged<long, int, ulong*, ulong*, ulong*, ulong*, int> SselectHyperslab;
    public readonly delegate* unmanaged<long, int> Sclose;
    public readonly delegate* unmanaged<long, long, long, long, long, void*, int> Dread;

    private NativeHdf5(nint library, string name)
    {
        LibraryName = name;
        var open = (delegate* unmanaged<int>)NativeLibrary.GetExport(library, "H5open");
        var silence = (delegate* unmanaged<long, nint, nint, int>)NativeLibrary.GetExport(library, "H5Eset_auto2");
        Fopen = (delegate* unmanaged<byte*, uint, long, long>)NativeLibrary.GetExport(library, "H5Fopen");
        Fclose = (delegate* unmanaged<long, int>)NativeLibrary.GetExport(library, "H5Fclose");
        Lexists = (delegate* unmanaged<long, byte*, long, int>)NativeLibrary.GetExport(library, "H5Lexists");
        Dopen2 = (delegate* unmanaged<long, byte*, long, long>)NativeLibrary.GetExport(library, "H5Dopen2");
        Dclose = (delegate* unmanaged<long, int>)NativeLibrary.GetExport(library, "H5Dclose");
        DgetSpace = (delegate* unmanaged<long, long>)NativeLibrary.GetExport(library, "H5Dget_space");
        DgetType = (delegate* unmanaged<long, long>)NativeLibrary.GetExport(library, "H5Dget_type");
        TgetClass = (delegate* unmanaged<long, int>)NativeLibrary.GetExport(library, "H5Tget_class");
        TgetSize = (delegate* unmanaged<long, nuint>)NativeLibrary.GetExport(library, "H5Tget_size");
        TgetSign = (delegate* unmanaged<long, int>)NativeLibrary.GetExport(library, "H5Tget_sign");
        Tclose = (delegate* unmanaged<long, int>)NativeLibrary.GetExport(library, "H5Tclose");
        SgetSimpleExtentNdims = (delegate* unmanaged<long, int>)NativeLibrary.GetExport(library, "H5Sget_simple_extent_ndims");
        SgetSimpleExtentDims = (delegate* unmanaged<long, ulong*, ulong*, int>)NativeLibrary.GetExport(library, "H5Sget_simple_extent_dims");
        ScreateSimple = (delegate* unmanaged<int, ulong*, ulong*, long>)NativeLibrary.GetExport(library, "H5Screate_simple");
        SselectHyperslab = (delegate* unmanaged<long, int, ulong*, ulong*, ulong*, ulong*, int>)NativeLibrary.GetExport(library, "H5Sselect_hyperslab");
        Sclose = (delegate* unmanaged<long, int>)NativeLibrary.GetExport(library, "H5Sclose");
        Dread = (delegate* unmanaged<long, long, long, long, long, void*, int>)NativeLibrary.GetExport(library, "H5Dread");
        if (open() < 0) throw new InvalidOperationException("H5open failed.");
        silence(Default, 0, 0);   // no error-stack printing to stderr; we report errors ourselves
        NativeUInt8 = *(long*)NativeLibrary.GetExport(library, "H5T_NATIVE_UCHAR_g");
        NativeDouble = *(long*)NativeLibrary.GetExport(library, "H5T_NATIVE_DOUBLE_g");
    }

    /// <summary>A null-terminated UTF-8 copy of <paramref name="text"/> for C.</summary>
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text + "\0");

    private static NativeHdf5? TryLoad()
    {
        foreach (var name in s_candidates)
        {
            if (!NativeLibrary.TryLoad(name, out var handle)) continue;
            try
            {
                lock (Gate) return new NativeHdf5(handle, name);
            }
            catch (Exception e) when (e is EntryPointNotFoundException or InvalidOperationException)
            {
                continue;   // an incompatible build: fall back to the next candidate or to PureHDF
            }
        }
        return null;
    }
}
