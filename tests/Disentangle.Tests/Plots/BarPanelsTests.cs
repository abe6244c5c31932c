using System.Text.RegularExpressions;
using Disentangle.Plots;

namespace Disentangle.Tests.Plots;

public sealed class BarPanelsTests
{
    private static BarPanel Panel(string title, params string[] labels) => new(title, "c", "MCC", ["0", "0.1", "1"],
        [.. labels.Select((label, i) => new BarSeries(label, [0.5 + 0.1 * i, 0.7, double.NaN], [0.01, 0.02, double.NaN]))]);

    private static string Svg(IReadOnlyList<BarPanel> panels)
    {
        string path = Path.Combine(Path.GetTempPath(), $"disentangle-bars-{Guid.NewGuid():N}.svg");
        BarPanels.Save(path, panels, caption: "mean ± s.e. over 3 seeds");
        string svg = File.ReadAllText(path);
        File.Delete(path);
        return svg;
    }

    [Theory, InlineData(".png", "PNG"), InlineData(".svg", "<svg"), InlineData(".pdf", "%PDF")]
    public void Bars_are_written_in_the_format_their_extension_names(string extension, string header)
    {
        string path = Path.Combine(Path.GetTempPath(), $"disentangle-bars-{Guid.NewGuid():N}{extension}");
        BarPanels.Save(path, [Panel("ρ = 0.9", "inner-lasso", "inner-ridge")]);
        Assert.Contains(header, System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path).AsSpan(0, 64)));
        File.Delete(path);
    }

    [Fact]
    public void Panels_with_the_same_series_share_one_legend_and_others_keep_their_own()
    {
        int Legends(string svg) => Regex.Matches(svg, "inner-ridge").Count;
        int once = Legends(Svg([Panel("ρ = 0", "inner-lasso", "inner-ridge")]));   // the text of one legend
        Assert.True(once > 0);
        string shared = Svg([Panel("ρ = 0", "inner-lasso", "inner-ridge"), Panel("ρ = 0.9", "inner-lasso", "inner-ridge")]);
        string separate = Svg([Panel("ρ = 0", "inner-lasso", "inner-ridge"), Panel("ρ = 0.9", "inner-lasso", "inner-ridge", "outer-l1")]);
        Assert.Contains("over 3 seeds", shared);
        Assert.Equal(once, Legends(shared));
        Assert.Equal(2 * once, Legends(separate));
    }

    [Fact]
    public void A_series_of_the_wrong_length_or_an_unknown_extension_is_refused()
    {
        var bad = new BarPanel("x", "c", "MCC", ["0", "1"], [new BarSeries("a", [1], [0])]);
        Assert.Contains("'a'", Assert.Throws<ArgumentException>(() => BarPanels.Save("bars.png", [bad])).Message);
        Assert.Contains(".jpg", Assert.Throws<ArgumentException>(() => BarPanels.Save("bars.jpg", [Panel("x", "a")])).Message);
    }
}
