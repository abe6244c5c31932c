using Disentangle.Tensors;

namespace Disentangle.Tests.Tensors;

/// <summary>A fact that needs oneDNN: reported as skipped, with the reason, where libdnnl.so.2 does not load.</summary>
public sealed class OneDnnFactAttribute : FactAttribute
{
    public OneDnnFactAttribute()
    {
        if (!Convolution.OneDnnAvailable) Skip = $"oneDNN is not usable here ({Convolution.Describe()}): apt-get install libdnnl2.";
    }
}

/// <summary>A theory that needs oneDNN (skipped with the reason where it does not load).</summary>
public sealed class OneDnnTheoryAttribute : TheoryAttribute
{
    public OneDnnTheoryAttribute()
    {
        if (!Convolution.OneDnnAvailable) Skip = $"oneDNN is not usable here ({Convolution.Describe()}): apt-get install libdnnl2.";
    }
}

/// <summary>oneDNN and im2col + GEMM give the same convolution, forward and backward, within float32 rounding; oneDNN's
/// results are bitwise repeatable; its gradients accumulate like every other op's.</summary>
public sealed class ConvBackendTests
{
    /// <summary>The backends usable on this machine (im2col always; oneDNN when it loads).</summary>
    public static IEnumerable<ConvBackend> Available =>
        Convolution.OneDnnAvailable ? [ConvBackend.Im2ColGemm, ConvBackend.OneDnn] : [ConvBackend.Im2ColGemm];

    private sealed record Result(float[] Y, float[] Dx, float[] Dw, float[]? Db);

    private static Result Run(ConvBackend backend, Tensor x, Tensor w, Tensor? b, int stride, Padding2d pad, int seed)
    {
        using var scope = Convolution.Override(backend);
        foreach (var t in new[] { x, w, b }) t?.ZeroGrad();
        var y = x.Conv2d(w, b, stride, pad);
        var dy = Tensor.Uniform(y.Shape, new Random(seed), -1f, 1f).Data;
        var values = (float[])y.Data.Clone();
        y.Backward(dy);
        return new(values, (float[])x.Grad!.Clone(), (float[])w.Grad!.Clone(), b is null ? null : (float[])b.Grad!.Clone());
    }

    private static void Close(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float scale = 1e-6f;
        foreach (float v in expected) scale = Math.Max(scale, Math.Abs(v));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-5f * scale + 1e-6f * Math.Abs(expected[i]) * 10,
                $"{what}[{i}]: im2col {expected[i]:G9}, oneDNN {actual[i]:G9} (scale {scale:G3})");
    }

    [OneDnnTheory]
    [InlineData(4, 3, 64, 64, 32, 4, 2, 1, 1, 1, 1, true)]      // encoder conv1 (SAME)
    [InlineData(4, 32, 32, 32, 32, 4, 2, 1, 1, 1, 1, true)]     // encoder conv2
    [InlineData(4, 32, 16, 16, 64, 2, 2, 0, 0, 0, 0, true)]     // encoder conv3
    [InlineData(3, 64, 8, 8, 64, 2, 2, 0, 0, 0, 0, true)]       // encoder conv4, odd batch
    [InlineData(2, 3, 21, 21, 64, 3, 1, 1, 1, 1, 1, false)]     // ResNet-12 stem, 3×3 stride 1, no bias
    [InlineData(2, 64, 10, 10, 160, 3, 1, 1, 1, 1, 1, false)]   // ResNet-12 block
    [InlineData(2, 160, 5, 5, 320, 1, 1, 0, 0, 0, 0, false)]    // ResNet-12 1×1 shortcut
    [InlineData(1, 2, 7, 6, 3, 3, 2, 0, 1, 0, 1, true)]         // asymmetric SAME padding, batch 1
    [InlineData(5, 3, 9, 9, 8, 4, 2, 1, 2, 1, 2, true)]         // k4 s2 on an odd side (SAME 1/2)
    [InlineData(2, 4, 5, 5, 6, 2, 2, 0, 0, 0, 0, true)]         // odd input drops a row
    [InlineData(16, 1, 28, 28, 64, 3, 1, 1, 1, 1, 1, true)]     // Conv4 on Fashion-MNIST, batch 16
    public void OneDnn_and_im2col_agree_forward_and_backward(int n, int c, int h, int wd, int o, int k, int stride,
        int top, int bottom, int left, int right, bool withBias)
    {
        var random = new Random(n * 1000 + c * 10 + k);
        var x = Tensor.Uniform([n, c, h, wd], random, -1f, 1f, requiresGrad: true);
        var w = Tensor.Uniform([o, c, k, k], random, -0.5f, 0.5f, requiresGrad: true);
        var b = withBias ? Tensor.Uniform([o], random, -0.5f, 0.5f, requiresGrad: true) : null;
        var pad = new Padding2d(top, bottom, left, right);
        var reference = Run(ConvBackend.Im2ColGemm, x, w, b, stride, pad, 5);
        var fast = Run(ConvBackend.OneDnn, x, w, b, stride, pad, 5);
        Close(reference.Y, fast.Y, "y");
        Close(reference.Dx, fast.Dx, "∂x");
        Close(reference.Dw, fast.Dw, "∂w");
        if (b is not null) Close(reference.Db!, fast.Db!, "∂b");
    }

    [Theory]
    [InlineData(4, 3, 16, 16, 8, 4, 2, 1)]
    [InlineData(2, 8, 7, 7, 16, 3, 1, 1)]
    public void Fused_conv_relu_equals_conv_then_relu_on_each_backend(int n, int c, int h, int wd, int o, int k, int stride, int pad)
    {
        var random = new Random(11);
        var x = Tensor.Uniform([n, c, h, wd], random, -1f, 1f, requiresGrad: true);
        var w = Tensor.Uniform([o, c, k, k], random, -0.5f, 0.5f, requiresGrad: true);
        var b = Tensor.Uniform([o], random, -0.5f, 0.5f, requiresGrad: true);
        var padding = Padding2d.Symmetric(pad);
        foreach (var backend in Available)
        {
            using var scope = Convolution.Override(backend);
            float[] Grad(Tensor t) => (float[])t.Grad!.Clone();
            var dy = Tensor.Uniform([n, o, (h + 2 * pad - k) / stride + 1, (wd + 2 * pad - k) / stride + 1], new Random(2), -1f, 1f).Data;
            foreach (var t in new[] { x, w, b }) t.ZeroGrad();
            var separate = x.Conv2d(w, b, stride, padding).Relu();
            var values = (float[])separate.Data.Clone();
            separate.Backward(dy);
            var (gx, gw, gb) = (Grad(x), Grad(w), Grad(b));
            foreach (var t in new[] { x, w, b }) t.ZeroGrad();
            var fused = x.Conv2dRelu(w, b, stride, padding);
            fused.Backward(dy);
            Assert.Equal(values, fused.Data);   // the same convolution then max(·, 0): bitwise
            Assert.Equal(gx, x.Grad);
            Assert.Equal(gw, w.Grad);
            Assert.Equal(gb, b.Grad);
        }
    }

    [OneDnnFact]
    public void OneDnn_results_repeat_bitwise_at_a_fixed_thread_count()
    {
        var random = new Random(3);
        var x = Tensor.Uniform([8, 32, 32, 32], random, -1f, 1f, requiresGrad: true);
        var w = Tensor.Uniform([32, 32, 4, 4], random, -0.5f, 0.5f, requiresGrad: true);
        var b = Tensor.Uniform([32], random, -0.5f, 0.5f, requiresGrad: true);
        var first = Run(ConvBackend.OneDnn, x, w, b, 2, Padding2d.Symmetric(1), 9);
        var second = Run(ConvBackend.OneDnn, x, w, b, 2, Padding2d.Symmetric(1), 9);
        Assert.Equal(first.Y, second.Y);
        Assert.Equal(first.Dx, second.Dx);
        Assert.Equal(first.Dw, second.Dw);
        Assert.Equal(first.Db, second.Db);
    }

    [OneDnnFact]
    public void OneDnn_results_follow_the_callers_thread_count_whichever_count_built_the_primitives()
    {
        var random = new Random(3);
        var x = Tensor.Uniform([64, 32, 16, 16], random, -1f, 1f, requiresGrad: true);
        var w = Tensor.Uniform([64, 32, 2, 2], random, -0.5f, 0.5f, requiresGrad: true);
        var b = Tensor.Uniform([64], random, -0.5f, 0.5f, requiresGrad: true);
        var warm = Tensor.Uniform([2, 3, 8, 8], random, -1f, 1f, requiresGrad: true);
        var warmWeight = Tensor.Uniform([4, 3, 3, 3], random, -1f, 1f, requiresGrad: true);
        Result At(int threads)
        {
            Result? result = null;
            var thread = new Thread(() =>
            {
                using var scope = Parallelism.Scope(threads);
                Run(ConvBackend.OneDnn, warm, warmWeight, null, 1, Padding2d.Symmetric(1), 1);   // this thread's OpenMP count is now `threads`
                result = Run(ConvBackend.OneDnn, x, w, b, 2, Padding2d.Symmetric(0), 9);
            });
            thread.Start();
            thread.Join();
            return result!;
        }
        Disentangle.Tensors.OneDnn.DnnlRuntime.Clear();
        var one = At(1);
        var twoAfterOne = At(2);   // the shape's primitives exist now, built by a caller at one thread
        Disentangle.Tensors.OneDnn.DnnlRuntime.Clear();
        var two = At(2);
        var oneAfterTwo = At(1);
        Assert.Equal(one.Dw, oneAfterTwo.Dw);
        Assert.Equal(one.Dx, oneAfterTwo.Dx);
        Assert.Equal(two.Dw, twoAfterOne.Dw);
        Assert.Equal(two.Dx, twoAfterOne.Dx);
    }

    [OneDnnFact]
    public void OneDnn_gradients_accumulate_and_a_later_forward_does_not_change_an_earlier_backward()
    {
        using var scope = Convolution.Override(ConvBackend.OneDnn);
        var random = new Random(4);
        var x1 = Tensor.Uniform([2, 16, 8, 8], random, -1f, 1f, requiresGrad: true);
        var x2 = Tensor.Uniform([2, 16, 8, 8], random, -1f, 1f, requiresGrad: true);
        var w = Tensor.Uniform([16, 16, 3, 3], random, -0.5f, 0.5f, requiresGrad: true);
        var alone = Run(ConvBackend.OneDnn, x1, w, null, 1, Padding2d.Symmetric(1), 1);
        w.ZeroGrad(); x1.ZeroGrad();
        var y1 = x1.Conv2d(w, null, 1, Padding2d.Symmetric(1));
        var y2 = x2.Conv2d(w, null, 1, Padding2d.Symmetric(1));   // same shape: same cached primitives, buffers refilled
        var dy = Tensor.Uniform(y1.Shape, new Random(1), -1f, 1f).Data;
        y1.Backward(dy);                                        // must use x1, not the x2 the buffers hold now
        Assert.Equal(alone.Dw, w.Grad);
        Assert.Equal(alone.Dx, x1.Grad);
        y2.Backward(new float[y2.Length]);                      // a zero cotangent adds nothing
        Assert.Equal(alone.Dw, w.Grad);
        var y3 = x1.Conv2d(w, null, 1, Padding2d.Symmetric(1));
        y3.Backward(dy);                                        // accumulates: twice the single gradient
        for (int i = 0; i < alone.Dw.Length; i++) Assert.Equal(2 * alone.Dw[i], w.Grad![i], 2e-6f * Math.Max(1f, Math.Abs(alone.Dw[i])));
    }

    [System.Runtime.InteropServices.DllImport("libc", CharSet = System.Runtime.InteropServices.CharSet.Ansi)]
    private static extern nint getenv(string name);

    [OneDnnFact]
    public void OneDnn_loads_with_OpenMP_workers_that_sleep_at_barriers_unless_the_user_chose_a_policy()
    {
        var value = System.Runtime.InteropServices.Marshal.PtrToStringAnsi(getenv("OMP_WAIT_POLICY"));   // what libgomp read
        Assert.Equal(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "PASSIVE", value);
    }

    [Fact]
    public void Describe_names_the_backend_in_use_and_the_override_switches_it()
    {
        using (Convolution.Override(ConvBackend.Im2ColGemm)) Assert.StartsWith("convolutions: im2col", Convolution.Describe());
        if (Convolution.OneDnnAvailable) Assert.Contains("oneDNN 2.", Convolution.Describe());
        else Assert.Throws<InvalidOperationException>(() => Convolution.Override(ConvBackend.OneDnn));
    }
}
