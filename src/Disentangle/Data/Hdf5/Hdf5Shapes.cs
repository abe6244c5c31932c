using System.Buffers;
using Disentangle.Data.Rendering;

namespace Disentangle.Data.Hdf5;

/// <summary>The real 3D Shapes file (<c>3dshapes.h5</c>): dataset <c>images</c> uint8 [N, 64, 64, 3] and <c>labels</c>
/// float64 [N, 6], row r being grid index r (mixed radix over the factors, method.md §4).</summary>
/// <remarks>
/// Reads by index batches: the requested rows are sorted and de-duplicated, read in blocks of at most 2,048 rows (one
/// native <c>H5Dread</c> per block over the union of the rows), then put back in the caller's order; nothing else is
/// kept in memory. The file is validated on opening: HDF5 signature and length (truncation), both datasets, their shapes
/// and element types, N equal to the grid size, and the labels of a sample of rows equal to the grid values.
/// Backend: native libhdf5 when it loads (≥ 200 MB/s), PureHDF otherwise (<see cref="Backend"/> says which).
/// </remarks>
public sealed class Hdf5Shapes : IShapesSource, IDisposable
{
    /// <summary>Name of the image dataset.</summary>
    public const string ImagesDataset = "images";

    /// <summary>Name of the label dataset.</summary>
    public const string LabelsDataset = "labels";

    private const string Layout = "a 3dshapes.h5 file holds 'images' uint8 [N, 64, 64, 3] and 'labels' float64 [N, 6]";
    private readonly IHdf5Reader _reader;

    /// <summary>Opens and validates a 3D Shapes HDF5 file.</summary>
    /// <param name="path">The file, e.g. <c>3dshapes.h5</c>.</param>
    /// <param name="factors">The grid its rows enumerate (the real 480,000-point grid by default).</param>
    /// <param name="backend">Native libhdf5, PureHDF, or whichever is available (native first).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not HDF5, truncated, a dataset missing, or a wrong shape, type or label.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Hdf5Backend.Native"/> was asked for but libhdf5 does not load.</exception>
    public Hdf5Shapes(string path, ShapesFactors? factors = null, Hdf5Backend backend = Hdf5Backend.Auto)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        Factors = factors ?? ShapesFactors.Shapes3D;
        if (!File.Exists(Path)) throw new FileNotFoundException($"3D Shapes file '{Path}' does not exist ({Layout}).", Path);
        _reader = Hdf5Readers.Open(Path, backend, out var used);
        Backend = used;
        try
        {
            Validate();
        }
        catch
        {
            _reader.Dispose();
            throw;
        }
    }

    /// <summary>Whether native libhdf5 loads on this machine.</summary>
    public static bool NativeAvailable => NativeHdf5.Instance is not null;

    /// <summary>Full path of the file.</summary>
    public string Path { get; }

    /// <summary>The backend in use: <see cref="Hdf5Backend.Native"/> or <see cref="Hdf5Backend.Managed"/>.</summary>
    public Hdf5Backend Backend { get; }

    /// <inheritdoc/>
    public ShapesFactors Factors { get; }

    /// <inheritdoc/>
    public int Count => Factors.Count;

    /// <inheritdoc/>
    public bool RendersOffGrid => false;

    /// <inheritdoc/>
    public void ReadImages(ReadOnlySpan<int> indices, Span<byte> destination) =>
        ReadRows<byte>(ImagesDataset, indices, ShapesImage.Bytes, destination, (rows, block) => _reader.ReadRows(ImagesDataset, rows, block));

    /// <summary>Writes the six raw labels of each requested row (floor, wall, object hue, scale, shape, orientation).</summary>
    /// <param name="indices">Row (grid) indices.</param>
    /// <param name="destination">At least <c>indices.Length × 6</c> values.</param>
    public void ReadLabels(ReadOnlySpan<int> indices, Span<double> destination) =>
        ReadRows<double>(LabelsDataset, indices, ShapesFactors.FactorCount, destination, (rows, block) => _reader.ReadRows(LabelsDataset, rows, block));

    /// <inheritdoc/>
    /// <remarks>The file holds grid images only: every row of values must be a grid point (within a millionth of a gap).</remarks>
    public void Render(ReadOnlySpan<double> rawValues, Span<byte> destination)
    {
        if (rawValues.Length % ShapesFactors.FactorCount != 0)
            throw new ArgumentException($"Factor values come in rows of {ShapesFactors.FactorCount}; got {rawValues.Length} values.", nameof(rawValues));
        var indices = new int[rawValues.Length / ShapesFactors.FactorCount];
        for (int i = 0; i < indices.Length; i++)
        {
            var row = rawValues.Slice(i * ShapesFactors.FactorCount, ShapesFactors.FactorCount);
            indices[i] = Factors.FindIndex(row);
            if (indices[i] < 0)
                throw new ArgumentException($"Row {i} of the factor values, [{string.Join(", ", row.ToArray())}], is not a grid point; "
                    + $"'{Path}' holds grid images only (use RenderedShapes for off-grid values).", nameof(rawValues));
        }
        ReadImages(indices, destination);
    }

    /// <summary>Most distinct rows per native read (tests lower it to exercise block boundaries).</summary>
    internal int BlockRows { get; init; } = 2048;

    /// <summary>Closes the file.</summary>
    public void Dispose() => _reader.Dispose();

    private delegate void BlockReader<T>(ReadOnlySpan<int> sortedRows, Span<T> block);

    // Sorts and de-duplicates the rows, reads them block by block, and scatters each row to every position that asked for it.
    private void ReadRows<T>(string dataset, ReadOnlySpan<int> indices, int rowLength, Span<T> destination, BlockReader<T> read) where T : unmanaged
    {
        if (destination.Length < (long)indices.Length * rowLength)
            throw new ArgumentException($"{indices.Length} rows of '{dataset}' need {(long)indices.Length * rowLength} values; the destination has {destination.Length}.", nameof(destination));
        var order = new int[indices.Length];
        var keys = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), indices[i], $"Row index must be in [0, {Count}) for '{Path}'.");
            order[i] = i;
            keys[i] = indices[i];
        }
        if (StrictlyIncreasing(indices))   // already sorted and distinct: read straight into the destination
        {
            for (int i = 0; i < indices.Length; i += BlockRows)
            {
                int count = Math.Min(BlockRows, indices.Length - i);
                read(indices.Slice(i, count), destination.Slice(i * rowLength, count * rowLength));
            }
            return;
        }
        Array.Sort(keys, order);
        var unique = new int[BlockRows];
        var block = ArrayPool<T>.Shared.Rent(BlockRows * rowLength);
        try
        {
            for (int i = 0; i < keys.Length;)
            {
                int count = 0, end = i;
                while (end < keys.Length && (count < BlockRows || keys[end] == unique[count - 1]))
                {
                    if (count == 0 || keys[end] != unique[count - 1]) unique[count++] = keys[end];
                    end++;
                }
                read(unique.AsSpan(0, count), block.AsSpan(0, count * rowLength));
                for (int j = i, u = -1; j < end; j++)
                {
                    if (u < 0 || keys[j] != unique[u]) u++;
                    block.AsSpan(u * rowLength, rowLength).CopyTo(destination.Slice(order[j] * rowLength, rowLength));
                }
                i = end;
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(block);
        }
    }

    private static bool StrictlyIncreasing(ReadOnlySpan<int> indices)
    {
        for (int i = 1; i < indices.Length; i++)
            if (indices[i] <= indices[i - 1]) return false;
        return true;
    }

    private void Validate()
    {
        var images = _reader.Describe(ImagesDataset) ?? throw new InvalidDataException($"'{Path}' has no dataset '{ImagesDataset}'; {Layout}.");
        var labels = _reader.Describe(LabelsDataset) ?? throw new InvalidDataException($"'{Path}' has no dataset '{LabelsDataset}'; {Layout}.");
        var d = images.Dimensions;
        if (d.Length != 4 || d[1] != ShapesImage.Height || d[2] != ShapesImage.Width || d[3] != ShapesImage.Channels)
            throw new InvalidDataException($"'{Path}': dataset '{ImagesDataset}' has shape {images.ShapeText}; expected [N, 64, 64, 3].");
        if (images.Class != Hdf5TypeClass.Integer || images.Size != 1 || images.Signed)
            throw new InvalidDataException($"'{Path}': dataset '{ImagesDataset}' holds {images.TypeName}; expected uint8.");
        if (labels.Dimensions.Length != 2 || labels.Dimensions[1] != ShapesFactors.FactorCount)
            throw new InvalidDataException($"'{Path}': dataset '{LabelsDataset}' has shape {labels.ShapeText}; expected [N, 6].");
        if (labels.Class != Hdf5TypeClass.Float || labels.Size != 8)
            throw new InvalidDataException($"'{Path}': dataset '{LabelsDataset}' holds {labels.TypeName}; expected float64.");
        if (labels.Dimensions[0] != d[0])
            throw new InvalidDataException($"'{Path}': '{ImagesDataset}' has {d[0]} rows but '{LabelsDataset}' has {labels.Dimensions[0]}.");
        if (d[0] != (ulong)Factors.Count)
            throw new InvalidDataException($"'{Path}' has {d[0]} images but the factor grid ({string.Join("×", Factors.Sizes)}) has {Factors.Count}.");
        CheckLabels();
    }

    // Rows 0, N−1 and 30 spread between them must carry the grid values of their index (first factor most significant).
    private void CheckLabels()
    {
        var rows = Enumerable.Range(0, 32).Select(i => (int)((long)i * (Count - 1) / 31)).Distinct().ToArray();
        var labels = new double[rows.Length * ShapesFactors.FactorCount];
        ReadLabels(rows, labels);
        var expected = new double[ShapesFactors.FactorCount];
        for (int i = 0; i < rows.Length; i++)
        {
            Factors.RawValues(rows[i], expected);
            for (int f = 0; f < ShapesFactors.FactorCount; f++)
            {
                double tolerance = 1e-3 * Math.Max(Factors.Gap(f), 1e-6);
                if (!(Math.Abs(labels[i * ShapesFactors.FactorCount + f] - expected[f]) <= tolerance))
                    throw new InvalidDataException($"'{Path}': row {rows[i]} has labels [{string.Join(", ", labels.AsSpan(i * 6, 6).ToArray())}] "
                        + $"but grid index {rows[i]} is [{string.Join(", ", expected)}]; rows must enumerate the grid in mixed-radix order "
                        + $"({string.Join(", ", ShapesFactors.Names)}, last fastest).");
            }
        }
    }
}
