namespace Disentangle.Data;

/// <summary>A source of 3D Shapes images: the embedded renderer (<see cref="Rendering.RenderedShapes"/>) or the real file
/// (<see cref="Hdf5.Hdf5Shapes"/>).</summary>
/// <remarks>Images are uint8, 64×64×3, row-major height × width × channel (RGB), <see cref="Rendering.ShapesImage.Bytes"/> bytes
/// each, written one after another into the destination.</remarks>
public interface IShapesSource : IImageDataset
{
    /// <summary>The factor grid the images are indexed by.</summary>
    new ShapesFactors Factors { get; }

    FactorSet IImageDataset.Factors => Factors;

    ImageShape IImageDataset.Shape => ImageShape.Shapes3D;

    /// <summary>Whether <see cref="Render"/> accepts factor values off the grid (true for the renderer; the file holds
    /// only grid images).</summary>
    bool RendersOffGrid { get; }

    /// <summary>Writes the images of the given raw factor values (rows of six values, in factor order).</summary>
    /// <param name="rawValues">Length a multiple of 6: floor hue, wall hue, object hue, scale, shape, orientation (degrees).</param>
    /// <param name="destination">At least <c>rawValues.Length / 6 × ShapesImage.Bytes</c> bytes.</param>
    /// <exception cref="ArgumentException">Off-grid values for a source with <see cref="RendersOffGrid"/> false, or bad lengths.</exception>
    void Render(ReadOnlySpan<double> rawValues, Span<byte> destination);
}
