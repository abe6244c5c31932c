using Disentangle.Data.Rendering;
using PureHDF;
using PureHDF.Filters;
using PureHDF.VOL.Native;

namespace Disentangle.Data.Hdf5;

/// <summary>Writes a 3D Shapes HDF5 file in the real layout (chunked, gzip-compressed) with PureHDF: every grid image of a
/// source and its raw labels. Meant for small grids (tests, exports): the whole file is built in memory.</summary>
public static class Hdf5ShapesWriter
{
    /// <summary>Writes <c>images</c> uint8 [N, 64, 64, 3] and <c>labels</c> float64 [N, 6] for all N grid points of
    /// <paramref name="source"/>, row r = grid index r.</summary>
    /// <param name="path">File to create (overwritten).</param>
    /// <param name="source">Image source, e.g. <see cref="RenderedShapes"/> over a small grid.</param>
    /// <param name="chunkImages">Images per chunk along the first axis.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkImages"/> &lt; 1, or the grid is over 100,000 images.</exception>
    public static void Write(string path, IShapesSource source, int chunkImages = 16)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkImages, 1);
        int n = source.Count;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, 100_000, nameof(source));
        var images = new byte[(long)n * ShapesImage.Bytes];
        source.ReadImages(Enumerable.Range(0, n).ToArray(), images);
        var labels = new double[n * ShapesFactors.FactorCount];
        for (int i = 0; i < n; i++) source.Factors.RawValues(i, labels.AsSpan(i * ShapesFactors.FactorCount, ShapesFactors.FactorCount));
        var gzip = new H5DatasetCreation(Filters: [new H5Filter(DeflateFilter.Id, new() { [DeflateFilter.COMPRESSION_LEVEL] = 1 })]);
        var file = new H5File
        {
            [Hdf5Shapes.ImagesDataset] = new H5Dataset<byte[]>(images,
                chunks: [(uint)Math.Min(chunkImages, n), ShapesImage.Height, ShapesImage.Width, ShapesImage.Channels],
                fileDims: [(ulong)n, ShapesImage.Height, ShapesImage.Width, ShapesImage.Channels], datasetCreation: gzip),
            [Hdf5Shapes.LabelsDataset] = new H5Dataset<double[]>(labels,
                chunks: [(uint)Math.Min(1024, n), ShapesFactors.FactorCount],
                fileDims: [(ulong)n, ShapesFactors.FactorCount], datasetCreation: gzip),
        };
        file.Write(path);
    }
}
