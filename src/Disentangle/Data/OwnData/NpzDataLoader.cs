using Disentangle.Io;

namespace Disentangle.Data.OwnData;

/// <summary>Loads a user's data set from a NumPy <c>.npz</c> file (<c>np.savez(path, images=…, factors=…)</c>).</summary>
internal static class NpzDataLoader
{
    /// <summary>Checks the arrays' headers, then reads the factors and the images.</summary>
    /// <exception cref="InvalidDataException">An array missing, a wrong shape or dtype, Fortran order, a truncated entry, a
    /// non-finite or constant factor (the message names it).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The data do not fit in memory.</exception>
    public static OwnDataset Load(string path)
    {
        using var npz = new NpzArchive(path);
        path = npz.Path;
        foreach (var name in new[] { OwnDataLayout.Images, OwnDataLayout.Factors })
            if (!npz.Contains(name))
                throw new InvalidDataException($"'{path}' has no array '{name}' (it holds: {string.Join(", ", npz.Names)}); a data file holds {OwnDataLayout.Expected}.");
        var (imageType, imageShape) = npz.Describe(OwnDataLayout.Images);
        var (factorType, factorShape) = npz.Describe(OwnDataLayout.Factors);
        var (shape, d) = OwnDataLayout.Check(path, [.. imageShape.Select(v => (long)v)], [.. factorShape.Select(v => (long)v)]);
        if (imageType != DataType.UInt8)
            throw OwnDataLayout.WrongType(path, OwnDataLayout.Images, Describe(imageType), "uint8 (|u1)");
        if (factorType is not (DataType.Float32 or DataType.Float64 or DataType.Int32 or DataType.Int64))
            throw OwnDataLayout.WrongType(path, OwnDataLayout.Factors, Describe(factorType), OwnDataLayout.FactorTypes);
        int n = imageShape[0];
        OwnDataLayout.EnsureMemory(path, n, shape, d);
        var table = new FactorTable(ToDoubles(npz.Read(OwnDataLayout.Factors)), d, path);
        var data = new OwnDataset(path, shape, table);
        using var stream = npz.OpenData(OwnDataLayout.Images, out _);
        for (int b = 0; b < data.Blocks; b++)
            Npy.ReadFully(stream, data.Block(b), npz.Source(OwnDataLayout.Images), $"block {b} of the image data");
        return data;
    }

    private static string Describe(DataType type) => type.ToString().ToLowerInvariant();

    private static double[] ToDoubles(TensorData array) => array.Data switch
    {
        double[] v => v,
        float[] v => Array.ConvertAll(v, x => (double)x),
        int[] v => Array.ConvertAll(v, x => (double)x),
        long[] v => Array.ConvertAll(v, x => (double)x),
        _ => throw new InvalidDataException($"'factors' holds {array.DataType}; expected {OwnDataLayout.FactorTypes}."),
    };
}
