using Disentangle.Data.Rendering;
using Disentangle.Data.Hdf5;

namespace Disentangle.Data;

/// <summary>Opens the 3D Shapes source a run asks for: the embedded renderer by default, or a user's <c>3dshapes.h5</c>.</summary>
public static class ShapesSources
{
    /// <summary>The embedded renderer when <paramref name="path"/> is null or empty, else the HDF5 file at that path.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a 3D Shapes HDF5 file (the message says what is wrong).</exception>
    public static IShapesSource Open(string? path) => string.IsNullOrEmpty(path) ? new RenderedShapes() : new Hdf5Shapes(path);
}
