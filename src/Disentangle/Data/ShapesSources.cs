using Disentangle.Data.Rendering;

namespace Disentangle.Data;

/// <summary>Opens the 3D Shapes source a command asks for: the embedded renderer by default, or a user's <c>3dshapes.h5</c>
/// (for the commands that show 3D Shapes only; training takes any data set through <see cref="DataSources"/>).</summary>
public static class ShapesSources
{
    /// <summary>The embedded renderer when <paramref name="path"/> is null or empty, else the HDF5 file at that path.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a 3D Shapes HDF5 file (the message says what is wrong), or it
    /// holds a data set of the user's own (images and factors).</exception>
    public static IShapesSource Open(string? path)
    {
        if (string.IsNullOrEmpty(path)) return new RenderedShapes();
        return DataSources.Open(path) as IShapesSource
            ?? throw new InvalidDataException($"'{Path.GetFullPath(path)}' holds images and factors of your own; this command shows 3D Shapes only "
                + "(the embedded renderer, or --data 3dshapes.h5).");
    }
}
