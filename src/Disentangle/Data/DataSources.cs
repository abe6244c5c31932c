using Disentangle.Data.Hdf5;
using Disentangle.Data.OwnData;
using Disentangle.Data.Rendering;

namespace Disentangle.Data;

/// <summary>Opens the data set a run asks for with <c>--data</c>: the embedded 3D Shapes renderer by default, else the
/// file at the path, its layout told by its datasets (not its name): <c>images</c> + <c>labels</c> is the real
/// <c>3dshapes.h5</c>; <c>images</c> + <c>factors</c> in an HDF5 or NPZ file is a user's own data (docs/own-data.md).</summary>
public static class DataSources
{
    private static readonly byte[] s_zip = [(byte)'P', (byte)'K', 3, 4];

    /// <summary>Opens and validates the data set at <paramref name="path"/> (null or empty: the embedded renderer).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Neither HDF5 nor NPZ, neither layout, or a layout's check failed (the message says which).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A user's data set does not fit in memory (named as <c>Data</c>).</exception>
    public static IImageDataset Open(string? path, Hdf5Backend backend = Hdf5Backend.Auto)
    {
        if (string.IsNullOrEmpty(path)) return new RenderedShapes();
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FileNotFoundException($"Data file '{full}' does not exist (--data takes a 3dshapes.h5, or an HDF5 or NPZ file with {OwnDataLayout.Expected}).", full);
        if (StartsWith(full, s_zip)) return NpzDataLoader.Load(full);
        if (!Hdf5Superblock.HasSignature(full))
            throw new InvalidDataException($"'{full}' is neither an HDF5 nor a NumPy .npz file; --data takes a 3dshapes.h5, or an HDF5 or NPZ file with {OwnDataLayout.Expected}.");
        using (var reader = Hdf5Readers.Open(full, backend, out var used))
        {
            bool factors = reader.Describe(OwnDataLayout.Factors) is not null, labels = reader.Describe(Hdf5Shapes.LabelsDataset) is not null;
            if (!factors && !labels)
                throw new InvalidDataException($"'{full}' has neither a 'factors' nor a 'labels' dataset; --data takes a 3dshapes.h5 ('images' and "
                    + $"'labels'), or a file with {OwnDataLayout.Expected}.");
            if (factors) return Hdf5DataLoader.Load(reader, full, used);
        }
        return new Hdf5Shapes(full, backend: backend);
    }

    private static bool StartsWith(string path, byte[] magic)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var head = new byte[magic.Length];
        return stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length && head.AsSpan().SequenceEqual(magic);
    }
}
