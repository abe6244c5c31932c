using Disentangle.Autodiff;
using Disentangle.Nn;
using Disentangle.Tensors;

namespace Disentangle.Tests.Tensors;

/// <summary><see cref="Tensor.ConvReluChain"/> gives the values and gradients of its layers run one by one: bitwise on
/// oneDNN (the same kernels; only the reorders between layers are gone), within float32 rounding of im2col + GEMM, and
/// close to central differences; a backward after a later forward of the same shapes still uses its own activations.</summary>
public sealed class ConvChainTests
{
    /// <summary>Layer tables: (input C, H, W) then per layer (O, k, stride, padding, bias).</summary>
    public static TheoryData<int, int, int, int, string, bool> Chains => new()
    {
        { 5, 3, 64, 64, "32,4,2,same;32,4,2,same;64,2,2,same;64,2,2,same", false },   // the 3D Shapes encoder
        { 3, 5, 13, 11, "32,3,1,1;48,2,2,0;16,3,1,1nb", true },                          // odd sides, ∂x wanted, no bias last
        { 3, 5, 13, 11, "20,3,1,1;24,2,2,0;17,3,1,1nb", true },                          // channels off oneDNN's blocks
        { 2, 3, 16, 16, "32,4,2,1;32,4,2,1", false },                                  // batch 2: backward-weights wants other blocks
        { 2, 16, 9, 9, "16,3,1,1;16,3,1,1", true },                                    // 3×3 stride 1 (Conv4, ResNet-12 shapes)
    };

    private static (ConvReluLayer[] Layers, Tensor X) Build(int n, int c, int h, int w, string table, bool inputGrad, int seed)
    {
        var random = new Random(seed);
        var x = Tensor.Uniform([n, c, h, w], random, -1f, 1f, requiresGrad: inputGrad);
        var layers = new List<ConvReluLayer>();
        int channels = c;
        foreach (var spec in table.Split(';'))
        {
            var f = spec.Split(',');
            int o = int.Parse(f[0]), k = int.Parse(f[1]), s = int.Parse(f[2]);
            bool bias = !f[3].EndsWith("nb");
            var padding = f[3].StartsWith("same") ? ConvPadding.Same.Resolve(h, w, k, s) : Padding2d.Symmetric(int.Parse(f[3].Replace("nb", "")));
            float bound = 1f / MathF.Sqrt(channels * k * k);
            layers.Add(new ConvReluLayer(Tensor.Uniform([o, channels, k, k], random, -bound, bound, requiresGrad: true),
                bias ? Tensor.Uniform([o], random, -0.1f, 0.2f, requiresGrad: true) : null, s, padding));
            (h, w, channels) = ((h + padding.Top + padding.Bottom - k) / s + 1, (w + padding.Left + padding.Right - k) / s + 1, o);
        }
        return ([.. layers], x);
    }

    private static IEnumerable<Tensor> Parameters(ConvReluLayer[] layers) =>
        layers.SelectMany(l => l.Bias is null ? new[] { l.Weight } : [l.Weight, l.Bias]);

    /// <summary>Values, then every gradient (∂x when wanted, then each layer's ∂w and ∂b).</summary>
    private static List<float[]> Run(Tensor x, ConvReluLayer[] layers, bool chained, int seed)
    {
        foreach (var t in Parameters(layers).Append(x)) t.ZeroGrad();
        var y = chained ? x.ConvReluChain(layers) : layers.Aggregate(x, (h, l) => h.Conv2dRelu(l.Weight, l.Bias, l.Stride, l.Padding));
        var result = new List<float[]> { (float[])y.Data.Clone() };
        y.Backward(Tensor.Uniform(y.Shape, new Random(seed), -1f, 1f).Data);
        if (x.RequiresGrad) result.Add((float[])x.Grad!.Clone());
        result.AddRange(Parameters(layers).Select(p => (float[])p.Grad!.Clone()));
        return result;
    }

    [OneDnnTheory]
    [MemberData(nameof(Chains))]
    public void OneDnn_chain_equals_its_layers_one_by_one_bitwise(int n, int c, int h, int w, string table, bool inputGrad)
    {
        var (layers, x) = Build(n, c, h, w, table, inputGrad, 1);
        using var scope = Convolution.Override(ConvBackend.OneDnn);
        var separate = Run(x, layers, chained: false, seed: 2);
        var chained = Run(x, layers, chained: true, seed: 2);
        Assert.Equal(separate.Count, chained.Count);
        for (int i = 0; i < separate.Count; i++) Assert.Equal(separate[i], chained[i]);
    }

    [OneDnnTheory]
    [MemberData(nameof(Chains))]
    public void OneDnn_chain_agrees_with_im2col_layers(int n, int c, int h, int w, string table, bool inputGrad)
    {
        var (layers, x) = Build(n, c, h, w, table, inputGrad, 3);
        List<float[]> reference, fast;
        using (Convolution.Override(ConvBackend.Im2ColGemm)) reference = Run(x, layers, chained: true, seed: 4);
        using (Convolution.Override(ConvBackend.OneDnn)) fast = Run(x, layers, chained: true, seed: 4);
        for (int i = 0; i < reference.Count; i++)
        {
            float scale = Math.Max(1e-6f, reference[i].Max(Math.Abs));
            for (int j = 0; j < reference[i].Length; j++)
                Assert.True(Math.Abs(reference[i][j] - fast[i][j]) <= 5e-5f * scale, $"output {i}[{j}]: im2col {reference[i][j]:G9}, oneDNN {fast[i][j]:G9}");
        }
    }

    [Fact]
    public void Chain_gradients_match_central_differences_on_each_backend()
    {
        var (layers, x) = Build(2, 3, 9, 8, "6,3,2,1;5,2,1,0", inputGrad: true, seed: 5);
        var inputs = Parameters(layers).Prepend(x).ToArray();
        foreach (var backend in ConvBackendTests.Available)
        {
            using var scope = Convolution.Override(backend);
            GradCheck.AssertClose(t =>
            {
                var chain = new[] { new ConvReluLayer(t[1], t[2], 2, Padding2d.Symmetric(1)), new ConvReluLayer(t[3], t[4], 1, Padding2d.Symmetric(0)) };
                return t[0].ConvReluChain(chain);
            }, inputs, eps: 1e-2, rtol: 1e-2, atol: 2e-3, coords: 30, seed: 7, maxNonSmoothFraction: 0.1);
        }
    }

    [OneDnnFact]
    public void A_backward_after_a_later_forward_of_the_same_shapes_uses_its_own_activations()
    {
        var (layers, x1) = Build(3, 4, 12, 12, "16,3,2,1;16,3,1,1;8,2,2,0", inputGrad: true, seed: 6);
        var x2 = Tensor.Uniform(x1.Shape, new Random(7), -1f, 1f, requiresGrad: true);
        using var scope = Convolution.Override(ConvBackend.OneDnn);
        var alone = Run(x1, layers, chained: true, seed: 8);
        foreach (var t in Parameters(layers).Append(x1)) t.ZeroGrad();
        var y1 = x1.ConvReluChain(layers);
        var y2 = x2.ConvReluChain(layers);   // same shapes: the chain's buffers now hold x2's activations
        y1.Backward(Tensor.Uniform(y1.Shape, new Random(8), -1f, 1f).Data);
        Assert.Equal(alone[1], x1.Grad);
        Assert.Equal(alone[2], layers[0].Weight.Grad);
        Assert.Equal(alone[^1], layers[^1].Bias!.Grad);
        using (new NoGrad()) Assert.Equal(alone[0], x1.ConvReluChain(layers).Data);   // inference: the same values, no graph
        y2.Backward(new float[y2.Length]);
    }

    [OneDnnTheory]
    [MemberData(nameof(Chains))]
    public void The_chain_runs_in_oneDNN_layouts_whatever_layouts_its_primitives_choose(int n, int c, int h, int w, string table, bool inputGrad)
    {
        var (layers, x) = Build(n, c, h, w, table, inputGrad, seed: 9);
        var key = Tensor.ChainKey(x.Shape, layers, out var output);
        Assert.Equal(layers[^1].Weight.Shape[0], output[1]);
        lock (Disentangle.Tensors.OneDnn.DnnlRuntime.Gate)
            Assert.NotNull(Disentangle.Tensors.OneDnn.DnnlRuntime.Chain(key));   // not the layer-by-layer fallback
    }

    [Fact]
    public void A_chain_checks_every_layer_before_computing()
    {
        var x = Tensor.Zeros([1, 3, 8, 8]);
        var first = new ConvReluLayer(Tensor.Zeros([4, 3, 3, 3]), null, 1, Padding2d.Symmetric(1));
        var wrongChannels = new ConvReluLayer(Tensor.Zeros([4, 5, 3, 3]), null, 1, Padding2d.Symmetric(1));
        Assert.Contains("equal C", Assert.Throws<ArgumentException>(() => x.ConvReluChain([first, wrongChannels])).Message);
        Assert.Throws<ArgumentException>(() => x.ConvReluChain([]));
    }
}
