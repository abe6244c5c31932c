namespace Disentangle.Data.Rendering;

/// <summary>Options of <c>disentangle gallery</c> (<see cref="ShapesGallery.WriteTraversals"/>).</summary>
/// <param name="Out">File to write (its extension is replaced by <paramref name="Format"/>'s).</param>
/// <param name="Data">A real <c>3dshapes.h5</c>; null renders the embedded data set.</param>
/// <param name="BaseIndex">Grid index whose other factor values the traversals keep.</param>
/// <param name="Zoom">Integer pixel magnification, ≥ 1.</param>
/// <param name="Format">PNG, SVG or PDF.</param>
public sealed record GalleryOptions(string Out = "shapes.png", string? Data = null, int BaseIndex = 0, int Zoom = 2,
    Disentangle.Plots.FigureFormat Format = Disentangle.Plots.FigureFormat.Png);
