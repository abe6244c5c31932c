using System.Text.Json;
using Disentangle.Tensors;

namespace Disentangle.Tests.Metrics;

/// <summary>Reads the JSON fixtures written by tests/fixtures/metrics_reference.py (SciPy / scikit-learn references).</summary>
internal static class Fixture
{
    public static JsonElement Load(string folder, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", folder, name);
        Assert.True(File.Exists(path), $"Missing fixture {path}; regenerate with /usr/bin/python3 tests/fixtures/metrics_reference.py");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    public static Matrix Matrix(this JsonElement e) =>
        new(e.GetProperty("rows").GetInt32(), e.GetProperty("cols").GetInt32(), e.GetProperty("data").Doubles());

    public static Matrix Matrix(this JsonElement e, string property) => e.GetProperty(property).Matrix();

    public static double[] Doubles(this JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static double[] Doubles(this JsonElement e, string property) => e.GetProperty(property).Doubles();

    public static int[] Ints(this JsonElement e, string property) => e.GetProperty(property).EnumerateArray().Select(v => v.GetInt32()).ToArray();

    public static double Double(this JsonElement e, string property) => e.GetProperty(property).GetDouble();

    public static void AssertClose(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
