using Disentangle.Data;
using Disentangle.Data.Rendering;
using SkiaSharp;

namespace Disentangle.Tests.Data.Rendering;

public sealed class ShapesGalleryTests
{
    [Fact]
    public void Traversal_rows_hold_the_rendered_images_of_each_factor_after_their_label_and_blank_tiles_elsewhere()
    {
        var source = new RenderedShapes();
        string path = Path.Combine(Path.GetTempPath(), $"disentangle-gallery-{Guid.NewGuid():N}.png");
        try
        {
            ShapesGallery.WriteTraversals(path, source, baseIndex: 0, zoom: 1);
            using var png = SKBitmap.Decode(path);
            const int tile = ShapesImage.Width + 2;                       // image + margin
            int label = png.Width - (15 * tile + 2);                      // the longest factor (orientation) has 15 values
            Assert.InRange(label, 60, 200);                               // the label column
            Assert.Equal(6 * tile + 2, png.Height);                       // one row per factor
            int[] at = new int[ShapesFactors.FactorCount];
            var expected = new byte[ShapesImage.Bytes];
            foreach (var (factor, value) in new[] { (0, 3), (2, 9), (4, 1), (5, 14) })
            {
                Array.Clear(at);
                at[factor] = value;                                       // base index 0: every other factor at its first value
                source.ReadImages([source.Factors.IndexOf(at)], expected);
                int left = label + 2 + value * tile, top = 2 + factor * tile;
                for (int y = 0; y < ShapesImage.Width; y += 7)
                    for (int x = 0; x < ShapesImage.Width; x += 5)
                    {
                        var pixel = png.GetPixel(left + x, top + y);
                        int offset = (y * ShapesImage.Width + x) * 3;
                        Assert.Equal((expected[offset], expected[offset + 1], expected[offset + 2]), (pixel.Red, pixel.Green, pixel.Blue));
                    }
            }
            var blank = png.GetPixel(label + 2 + 5 * tile + 30, 2 + 4 * tile + 30);  // shape has 4 values: its row's 6th tile is paper
            Assert.Equal(((byte)255, (byte)255, (byte)255), (blank.Red, blank.Green, blank.Blue));
            bool Inked(int row) => Enumerable.Range(0, label).Any(x => Enumerable.Range(row * tile, tile).Any(y => png.GetPixel(x, y).Red < 128));
            Assert.All(Enumerable.Range(0, 6), row => Assert.True(Inked(row), $"row {row} has no label"));
        }
        finally { File.Delete(path); }
    }

    [Theory, InlineData(".svg", "<svg"), InlineData(".pdf", "%PDF")]
    public void The_gallery_is_also_written_as_svg_and_pdf(string extension, string header)
    {
        string path = Path.Combine(Path.GetTempPath(), $"disentangle-gallery-{Guid.NewGuid():N}{extension}");
        try
        {
            ShapesGallery.WriteTraversals(path, new RenderedShapes(), zoom: 1);
            Assert.Contains(header, System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path).AsSpan(0, 200)));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Base_index_outside_the_grid_and_zoom_below_one_are_rejected()
    {
        var source = new RenderedShapes();
        Assert.Throws<ArgumentOutOfRangeException>(() => ShapesGallery.WriteTraversals("x.png", source, baseIndex: source.Factors.Count));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShapesGallery.WriteTraversals("x.png", source, zoom: 0));
    }
}
