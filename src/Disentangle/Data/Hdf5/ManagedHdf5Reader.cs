using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace Disentangle.Data.Hdf5;

/// <summary>Reads rows with PureHDF (fully managed, ~11 MB/s on 3dshapes-like chunked data): the fallback when libhdf5
/// does not load.</summary>
internal sealed class ManagedHdf5Reader : IHdf5Reader
{
    private readonly string _path;
    private readonly NativeFile _file;
    private readonly object _gate = new();

    public ManagedHdf5Reader(string path)
    {
        _path = path;
        try
        {
            _file = H5File.OpenRead(path);
        }
        catch (Exception e) when (e is not IOException || e is EndOfStreamException)
        {
            throw new InvalidDataException($"'{path}' is not a readable HDF5 file (PureHDF: {e.Message}).", e);
        }
    }

    public Hdf5DatasetInfo? Describe(string dataset)
    {
        lock (_gate)
        {
            return Guard(dataset, () =>
            {
                if (!_file.LinkExists(dataset)) return null;
                var d = _file.Dataset(dataset);
                var kind = d.Type.Class switch
                {
                    H5DataTypeClass.FixedPoint => Hdf5TypeClass.Integer,
                    H5DataTypeClass.FloatingPoint => Hdf5TypeClass.Float,
                    _ => Hdf5TypeClass.Other,
                };
                bool signed = kind == Hdf5TypeClass.Integer && d.Type.FixedPoint.IsSigned;
                return new Hdf5DatasetInfo(d.Space.Dimensions, kind, d.Type.Size, signed);
            });
        }
    }

    public void ReadRows(string dataset, ReadOnlySpan<int> rows, Span<byte> destination) => ReadRuns<byte>(dataset, rows, destination);

    public void ReadRows(string dataset, ReadOnlySpan<int> rows, Span<double> destination) => ReadRuns<double>(dataset, rows, destination);

    private void ReadRuns<T>(string dataset, ReadOnlySpan<int> rows, Span<T> destination) where T : unmanaged
    {
        if (rows.Length == 0) return;
        int rowElements = destination.Length / rows.Length;
        var runs = new List<(int Start, int Length)>();
        int runStart = 0;
        for (int i = 1; i <= rows.Length; i++)
        {
            if (i < rows.Length && rows[i] == rows[i - 1] + 1) continue;
            runs.Add((runStart, i - runStart));
            runStart = i;
        }
        var first = rows.ToArray();
        lock (_gate)
        {
            int offset = 0;
            foreach (var (start, length) in runs)
            {
                var values = Guard(dataset, () =>
                {
                    var d = _file.Dataset(dataset);
                    var dims = d.Space.Dimensions;
                    var starts = new ulong[dims.Length];
                    var blocks = (ulong[])dims.Clone();
                    starts[0] = (ulong)first[start];
                    blocks[0] = (ulong)length;
                    return d.Read<T[]>(new HyperslabSelection(dims.Length, starts, blocks), memoryDims: [(ulong)(length * rowElements)]);
                })!;
                values.AsSpan().CopyTo(destination.Slice(offset, length * rowElements));
                offset += length * rowElements;
            }
        }
    }

    private TResult Guard<TResult>(string dataset, Func<TResult> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not InvalidDataException and not ArgumentException)
        {
            throw new InvalidDataException($"'{_path}': reading dataset '{dataset}' failed (PureHDF: {e.Message}); the file is truncated or corrupt.", e);
        }
    }

    public void Dispose()
    {
        lock (_gate) _file.Dispose();
    }
}
