using System.Text.Json;
using Disentangle.Nn;
using Disentangle.Tensors;

namespace Disentangle.Tests.Nn;

/// <summary>The encoder's forward pass, running statistics and every gradient against PyTorch
/// (fixture written by tests/fixtures/conv_encoder.py).</summary>
public sealed class ConvEncoderReferenceTests
{
    private static void Fill(Tensor t, double salt, double scale)
    {
        for (int i = 0; i < t.Length; i++) t.Data[i] = (float)(scale * Math.Sin(0.37 * i + salt));
    }

    [Fact]
    public void Forward_and_gradients_match_pytorch()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Nn", "conv_encoder.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var encoder = new ConvEncoder(3, new Random(0), channels: 2, imageSize: 16);
        int salt = 1;
        foreach (var (_, p) in encoder.NamedParameters())
        {
            int fanIn = p.Rank > 1 ? p.Length / p.Shape[0] : p.Length;
            Fill(p, salt++, 1.0 / Math.Sqrt(fanIn));
        }
        var x = Tensor.Zeros([4, 2, 16, 16], requiresGrad: true);
        Fill(x, 0.5, 1.0);
        var v = Tensor.Zeros([4, 3]);
        Fill(v, 2.5, 1.0);

        var y = encoder.Forward(x);
        y.Backward(v.Data);

        AssertClose(root.GetProperty("output"), y.Data, 2e-4);
        var buffers = encoder.NamedBuffers().ToDictionary(b => b.Name, b => b.Buffer.Data);
        AssertClose(root.GetProperty("running_mean"), buffers["bn.running_mean"], 1e-5);
        AssertClose(root.GetProperty("running_var"), buffers["bn.running_var"], 1e-4);
        AssertSubset(root.GetProperty("input_grad"), x.Grad!, "input");
        foreach (var (name, p) in encoder.NamedParameters())
            AssertSubset(root.GetProperty("grads").GetProperty(name), p.Grad!, name);
    }

    private static void AssertClose(JsonElement expected, float[] actual, double tolerance)
    {
        var e = expected.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(e.Length, actual.Length);
        for (int i = 0; i < e.Length; i++) Assert.True(Math.Abs(e[i] - actual[i]) <= tolerance * (1 + Math.Abs(e[i])), $"[{i}]: {actual[i]} vs PyTorch {e[i]}");
    }

    private static void AssertSubset(JsonElement expected, float[] actual, string name)
    {
        var indices = expected.GetProperty("indices").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var values = expected.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double scale = values.Max(Math.Abs) + 1e-12;
        for (int k = 0; k < indices.Length; k++)
            Assert.True(Math.Abs(values[k] - actual[indices[k]]) <= 1e-3 * scale + 1e-4,
                $"{name}[{indices[k]}]: ours {actual[indices[k]]} vs PyTorch {values[k]} (scale {scale})");
    }
}
