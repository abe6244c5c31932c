using Disentangle.Plots;
using SkiaSharp;

namespace Disentangle.Tests.Plots;

public sealed class LinePanelsTests
{
    private static readonly Panel[] Panels =
    [
        new("MCC", "ρ", "MCC", [new Series("inner-lasso", [0, 0.9, 0.99], [0.9, 0.8, 0.7], [0.01, 0.02, 0.03]), new Series("inner-ridge", [0, 0.9, 0.99], [0.9, 0.8, 0.7])], AxisScale.Correlation),
        new("R", "ρ", "R", [new Series("inner-lasso", [0, 0.9, 0.99], [1, 1, 1]), new Series("inner-ridge", [0, 0.9, 0.99], [1, 1, 1], Emphasised: true)], AxisScale.Correlation),
    ];

    private static string Temp(string extension) => Path.Combine(Path.GetTempPath(), $"disentangle-plot-{Guid.NewGuid():N}{extension}");

    /// <summary>The two panels, 300 × 250 pixels each, decoded from the PNG written.</summary>
    private static SKBitmap Drawn()
    {
        string path = Temp(".png");
        LinePanels.Save(path, Panels, panelWidth: 300, height: 250);
        var png = SKBitmap.Decode(path);
        File.Delete(path);
        return png;
    }

    [Theory, InlineData(".png", "PNG"), InlineData(".svg", "<svg"), InlineData(".pdf", "%PDF")]
    public void A_figure_is_written_in_the_format_its_extension_names(string extension, string header)
    {
        string path = Temp(extension);
        LinePanels.Save(path, Panels, caption: "mean ± s.e. over 3 seeds");
        Assert.Contains(header, System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path).AsSpan(0, 64)));
        File.Delete(path);
    }

    [Fact]
    public void The_svg_holds_the_caption()
    {
        string path = Temp(".svg");
        LinePanels.Save(path, Panels, caption: "mean ± s.e. over 3 seeds");
        string svg = File.ReadAllText(path);
        File.Delete(path);
        Assert.Contains("over 3 seeds", svg);
    }

    [Fact]
    public void A_line_drawn_exactly_over_another_leaves_the_one_below_visible()
    {
        // Panel R: inner-ridge (orange, thick, dashed) lies exactly on inner-lasso (blue, solid): blue must still show.
        using var png = Drawn();
        int Count(SKColor c) => Enumerable.Range(300, 300).Sum(x => Enumerable.Range(0, png.Height)
            .Count(y => png.GetPixel(x, y) is var p && Math.Abs(p.Red - c.Red) + Math.Abs(p.Green - c.Green) + Math.Abs(p.Blue - c.Blue) < 40));
        Assert.True(Count(new SKColor(31, 119, 180)) > 20, "the blue line is hidden");
        Assert.True(Count(new SKColor(255, 127, 14)) > 20, "the orange line is missing");
    }

    [Fact]
    public void Panels_are_drawn_side_by_side_without_clearing_each_other()
    {
        using var png = Drawn();
        bool Inked(int from, int to) => Enumerable.Range(from, to - from).Any(x => Enumerable.Range(0, png.Height).Any(y => png.GetPixel(x, y).Red < 100));
        Assert.True(Inked(0, 300), "the first panel is blank");
        Assert.True(Inked(300, 600), "the second panel is blank");
    }

    [Fact]
    public void Each_panel_is_as_wide_as_the_legend_under_it()
    {
        // Panels with different labels get a legend each, under the panel: a long label must not be cut at the panel's edge.
        const string label = "support size s (coefficients) = 2, c = 0.1 (2 seeds)";
        Panel[] panels =
        [
            new("inner-lasso", "step", "MCC", [new Series(label, [500, 1000], [0.8, 0.9])]),
            new("inner-ridge", "step", "MCC", [new Series(label.Replace("0.1", "0.01", StringComparison.Ordinal), [500, 1000], [0.7, 0.8])]),
        ];
        string path = Temp(".png");
        LinePanels.Save(path, panels, panelWidth: 300, height: 250);
        using var png = SKBitmap.Decode(path);
        File.Delete(path);
        Assert.True(png.Width >= 2 * (label.Length + 1) * 8, $"{png.Width} pixels for two legends of {label.Length + 1} characters");
    }

    [Fact]
    public void The_correlation_axis_puts_09_and_099_one_unit_apart()
    {
        Assert.Equal(1, AxisScales.Position(AxisScale.Correlation, 0.9), 1e-12);
        Assert.Equal(2, AxisScales.Position(AxisScale.Correlation, 0.99), 1e-12);
        Assert.Equal(0, AxisScales.Position(AxisScale.Correlation, 0), 1e-12);
        Assert.Equal(0.99, AxisScales.Position(AxisScale.Linear, 0.99));
    }

    [Fact]
    public void An_unknown_extension_is_refused() =>
        Assert.Contains(".jpg", Assert.Throws<ArgumentException>(() => LinePanels.Save("figure.jpg", Panels)).Message);
}
