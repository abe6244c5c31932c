using Disentangle.Data.Hdf5;

namespace Disentangle.Data.OwnData;

/// <summary>Loads a user's data set from an HDF5 file with datasets <c>images</c> and <c>factors</c> (e.g. h5py's
/// <c>f.create_dataset("images", data=…)</c>), through the same libhdf5 / PureHDF readers as <c>3dshapes.h5</c>.</summary>
internal static class Hdf5DataLoader
{
    private const int RowsPerRead = 1024;

    /// <summary>Checks both datasets' shapes and types, then reads the factors and the images.</summary>
    /// <exception cref="InvalidDataException">A dataset missing, a wrong shape or type, a corrupt file, a non-finite or
    /// constant factor (the message names it).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The data do not fit in memory.</exception>
    public static OwnDataset Load(IHdf5Reader reader, string path, Hdf5Backend backend)
    {
        var images = reader.Describe(OwnDataLayout.Images)
            ?? throw new InvalidDataException($"'{path}' has no dataset '{OwnDataLayout.Images}'; a data file holds {OwnDataLayout.Expected}.");
        var factors = reader.Describe(OwnDataLayout.Factors)
            ?? throw new InvalidDataException($"'{path}' has no dataset '{OwnDataLayout.Factors}'; a data file holds {OwnDataLayout.Expected}.");
        var (shape, d) = OwnDataLayout.Check(path, [.. images.Dimensions.Select(v => (long)Math.Min(v, long.MaxValue))],
            [.. factors.Dimensions.Select(v => (long)Math.Min(v, long.MaxValue))]);
        if (images.Class != Hdf5TypeClass.Integer || images.Size != 1 || images.Signed)
            throw OwnDataLayout.WrongType(path, OwnDataLayout.Images, images.TypeName, "uint8");
        bool numeric = factors.Class == Hdf5TypeClass.Float ? factors.Size is 4 or 8 : factors.Class == Hdf5TypeClass.Integer && factors.Size is 4 or 8 && factors.Signed;
        if (!numeric) throw OwnDataLayout.WrongType(path, OwnDataLayout.Factors, factors.TypeName, OwnDataLayout.FactorTypes);
        // libhdf5 converts any numeric type to float64 as it reads; PureHDF reads the stored type only
        if (backend == Hdf5Backend.Managed && !(factors.Class == Hdf5TypeClass.Float && factors.Size == 8))
            throw new InvalidDataException($"'{path}': '{OwnDataLayout.Factors}' holds {factors.TypeName}; without native libhdf5 (scripts/setup-deps.sh "
                + "installs it) only float64 factors can be read: store them as float64.");
        int n = (int)images.Dimensions[0];
        OwnDataLayout.EnsureMemory(path, n, shape, d);
        var values = new double[(long)n * d];
        var rows = new int[Math.Min(RowsPerRead, n)];
        for (int start = 0; start < n; start += RowsPerRead)
        {
            int count = Consecutive(rows, start, Math.Min(RowsPerRead, n - start));
            reader.ReadRows(OwnDataLayout.Factors, rows.AsSpan(0, count), values.AsSpan(start * d, count * d));
        }
        var data = new OwnDataset(path, shape, new FactorTable(values, d, path));
        for (int b = 0; b < data.Blocks; b++)
        {
            var block = data.Block(b);
            int first = b * data.BlockImages, inBlock = block.Length / shape.Bytes;
            for (int start = 0; start < inBlock; start += RowsPerRead)
            {
                int count = Consecutive(rows, first + start, Math.Min(RowsPerRead, inBlock - start));
                reader.ReadRows(OwnDataLayout.Images, rows.AsSpan(0, count), block.AsSpan(start * shape.Bytes, count * shape.Bytes));
            }
        }
        return data;
    }

    private static int Consecutive(int[] rows, int start, int count)
    {
        for (int i = 0; i < count; i++) rows[i] = start + i;
        return count;
    }
}
