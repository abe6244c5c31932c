using Disentangle.Tensors;

namespace Disentangle.Tests.Tensors;

/// <summary>Forward values against direct definitions.</summary>
public sealed class OpValueTests
{
    [Fact]
    public void Broadcast_add_of_a_bias_adds_it_to_every_row()
    {
        var x = new Tensor([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]);
        var b = new Tensor([10f, 20f, 30f], [3]);
        Assert.Equal([11f, 22f, 33f, 14f, 25f, 36f], (x + b).Data);
        Assert.Equal([2, 3], (b + x).Shape);
    }

    [Fact]
    public void Per_channel_scale_multiplies_each_channel_plane()
    {
        var x = Tensor.Full([2, 3, 2, 2], 1f);
        var s = new Tensor([1f, 2f, 3f], [1, 3, 1, 1]);
        var y = x * s;
        for (int i = 0; i < y.Length; i++) Assert.Equal(1f + i / 4 % 3, y.Data[i]);
    }

    [Fact]
    public void Outer_broadcast_gives_the_outer_sum()
    {
        var y = new Tensor([1f, 2f, 3f], [3, 1]) + new Tensor([10f, 20f], [1, 2]);
        Assert.Equal([3, 2], y.Shape);
        Assert.Equal([11f, 21f, 12f, 22f, 13f, 23f], y.Data);
    }

    [Fact]
    public void Sums_over_axes_match_loops()
    {
        var x = new Tensor(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), [2, 3, 4]);
        var s1 = x.Sum([1]);
        Assert.Equal([2, 4], s1.Shape);
        for (int a = 0; a < 2; a++) for (int c = 0; c < 4; c++)
            Assert.Equal(Enumerable.Range(0, 3).Sum(b => a * 12 + b * 4 + c), s1.Data[a * 4 + c]);
        var s02 = x.Sum([0, 2], keepDim: true);
        Assert.Equal([1, 3, 1], s02.Shape);
        for (int b = 0; b < 3; b++) Assert.Equal(Enumerable.Range(0, 2).Sum(a => Enumerable.Range(0, 4).Sum(c => a * 12 + b * 4 + c)), s02.Data[b]);
        Assert.Equal(276f, x.Sum().Item());
        Assert.Equal(11.5f, x.Mean().Item());
        Assert.Equal([1.5f, 5.5f, 9.5f, 13.5f, 17.5f, 21.5f], x.Mean([-1]).Data);
    }

    [Fact]
    public void Reshape_is_a_view_on_the_same_data()
    {
        var x = Tensor.Zeros([2, 6]);
        var v = x.Reshape(3, -1);
        Assert.Equal([3, 4], v.Shape);
        Assert.Same(x.Data, v.Data);
        Assert.Equal([2, 6], x.Flatten().Shape);
        Assert.Equal([12], x.Flatten(0).Shape);
    }

    [Fact]
    public void Permute_concat_and_slice_move_the_right_values()
    {
        var x = new Tensor(Enumerable.Range(0, 6).Select(i => (float)i).ToArray(), [2, 3]);
        Assert.Equal([0f, 3f, 1f, 4f, 2f, 5f], x.Transpose(0, 1).Data);
        var cat = Tensor.Concat([x, x.Slice(1, 1, 2)], 1);
        Assert.Equal([2, 5], cat.Shape);
        Assert.Equal([0f, 1f, 2f, 1f, 2f, 3f, 4f, 5f, 4f, 5f], cat.Data);
        var p = new Tensor(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), [2, 3, 4]).Permute(2, 0, 1);
        Assert.Equal([4, 2, 3], p.Shape);
        Assert.Equal(1 * 12 + 2 * 4 + 3, p.Data[(3 * 2 + 1) * 3 + 2]);   // p[3,1,2] = x[1,2,3]
    }

    [Fact]
    public void Matmul_and_linear_match_the_definition()
    {
        var a = new Tensor([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]);
        var b = new Tensor([1f, 0f, 0f, 1f, 1f, 1f], [3, 2]);
        Assert.Equal([4f, 5f, 10f, 11f], a.MatMul(b).Data);
        var w = new Tensor([1f, 0f, 1f, 0f, 1f, 1f], [2, 3]);
        Assert.Equal([4f + 1f, 5f + 2f, 10f + 1f, 11f + 2f], a.Linear(w, new Tensor([1f, 2f], [2])).Data);
        var batched = Tensor.Concat([a.Reshape(1, 2, 3), a.Reshape(1, 2, 3).Mul(2f)], 0).MatMul(b);
        Assert.Equal([4f, 5f, 10f, 11f, 8f, 10f, 20f, 22f], batched.Data);
    }

    /// <summary>Direct definition of the cross-correlation with zero padding.</summary>
    private static float[] NaiveConv(Tensor x, Tensor w, Tensor? b, int s, Padding2d p, out int ho, out int wo)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3], o = w.Shape[0], kh = w.Shape[2], kw = w.Shape[3];
        ho = (h + p.Top + p.Bottom - kh) / s + 1;
        wo = (wd + p.Left + p.Right - kw) / s + 1;
        var y = new float[n * o * ho * wo];
        for (int a = 0; a < n; a++) for (int f = 0; f < o; f++) for (int i = 0; i < ho; i++) for (int j = 0; j < wo; j++)
        {
            double sum = b?.Data[f] ?? 0;
            for (int ch = 0; ch < c; ch++) for (int u = 0; u < kh; u++) for (int v = 0; v < kw; v++)
            {
                int r = i * s - p.Top + u, q = j * s - p.Left + v;
                if (r >= 0 && r < h && q >= 0 && q < wd) sum += x.Data[((a * c + ch) * h + r) * wd + q] * w.Data[((f * c + ch) * kh + u) * kw + v];
            }
            y[((a * o + f) * ho + i) * wo + j] = (float)sum;
        }
        return y;
    }

    [Theory]
    [InlineData(3, 3, 64, 64, 32, 4, 2)]
    [InlineData(2, 4, 9, 7, 5, 3, 1)]
    [InlineData(2, 2, 9, 9, 3, 2, 2)]
    [InlineData(1, 3, 5, 5, 2, 3, 3)]
    public void Conv2d_with_same_padding_matches_the_direct_definition(int n, int c, int h, int w, int o, int k, int s)
    {
        var random = new Random(h * 31 + k);
        var x = Tensor.RandN([n, c, h, w], random);
        var weight = Tensor.RandN([o, c, k, k], random);
        var bias = Tensor.RandN([o], random);
        var pad = Padding2d.Same(h, w, k, k, s);
        var y = x.Conv2d(weight, bias, s, pad);
        var expected = NaiveConv(x, weight, bias, s, pad, out int ho, out int wo);
        Assert.Equal([n, o, (h + s - 1) / s, (w + s - 1) / s], y.Shape);
        Assert.Equal([n, o, ho, wo], y.Shape);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], y.Data[i], 1e-3f * (1 + Math.Abs(expected[i])));
    }

    [Theory]
    [InlineData(64, 4, 2, 1, 1)]     // the encoder's first layer: symmetric
    [InlineData(16, 2, 2, 0, 0)]
    [InlineData(7, 3, 2, 1, 1)]
    [InlineData(8, 3, 2, 0, 1)]      // stride 2 on an even size: the extra row goes after
    [InlineData(5, 4, 1, 1, 2)]
    public void Same_padding_follows_tensorflow(int size, int kernel, int stride, int before, int after)
    {
        var p = Padding2d.Same(size, size, kernel, kernel, stride);
        Assert.Equal((before, after, before, after), (p.Top, p.Bottom, p.Left, p.Right));
    }

    [Fact]
    public void Pooling_values_match_the_definition()
    {
        var x = new Tensor(Enumerable.Range(0, 16).Select(i => (float)(i * 7 % 16)).ToArray(), [1, 1, 4, 4]);
        // x rows: [0 7 14 5] [12 3 10 1] [8 15 6 13] [4 11 2 9]
        Assert.Equal([12f, 14f, 15f, 13f], x.MaxPool2d(2).Data);
        Assert.Equal([22f / 4, 30f / 4, 38f / 4, 30f / 4], x.AvgPool2d(2).Data);
        var padded = x.AvgPool2d(3, 2, 1);   // zero padding counted: top-left window = (0+7+12+3)/9
        Assert.Equal([2, 2], padded.Shape[2..]);
        Assert.Equal(22f / 9, padded.Data[0], 1e-5);
    }

    [Fact]
    public void Relu_passes_the_gradient_only_where_its_input_is_positive_at_every_length()
    {
        foreach (int length in new[] { 1, 15, 16, 37 })   // shorter than, equal to and beyond one SIMD vector, with a tail
        {
            var values = Enumerable.Range(0, length).Select(i => i % 5 == 0 ? 0f : i % 7 == 0 ? float.NaN : (i % 3 - 1) * 0.5f * i).ToArray();
            var x = new Tensor(values, [length], requiresGrad: true);
            var dy = Enumerable.Range(0, length).Select(i => i + 1f).ToArray();
            x.Relu().Backward(dy);
            x.Relu().Backward(dy);   // the second backward adds to the first
            for (int i = 0; i < length; i++) Assert.Equal(values[i] > 0f ? 2 * dy[i] : 0f, x.Grad![i]);
        }
    }

    [Theory]
    [InlineData(9)]
    [InlineData(37)]   // 18 windows a row: 16 in AVX-512, 2 one by one
    public void Halving_max_pool_takes_the_first_maximum_of_each_window_and_drops_an_odd_edge(int width)
    {
        var random = new Random(5);
        int wo = width / 2, planeSize = 7 * width;
        var values = Enumerable.Range(0, 2 * 3 * planeSize).Select(_ => random.Next(9) switch { 7 => float.NaN, 8 => -0f, var v => (float)v }).ToArray();
        var x = new Tensor(values, [2, 3, 7, width], requiresGrad: true);   // many ties, signed zeros and NaN
        var y = x.MaxPool2d(2);
        Assert.Equal([2, 3, 3, wo], y.Shape);
        var dy = Enumerable.Range(0, y.Length).Select(i => 1f + i).ToArray();
        y.Backward(dy);
        var expectedGrad = new float[x.Length];
        for (int plane = 0, o = 0; plane < 6; plane++)
            for (int oh = 0; oh < 3; oh++)
                for (int ow = 0; ow < wo; ow++, o++)
                {
                    int at = -1;
                    foreach (var (i, j) in new[] { (0, 0), (0, 1), (1, 0), (1, 1) })   // row-major: the first maximum wins
                    {
                        int index = plane * planeSize + (2 * oh + i) * width + 2 * ow + j;
                        if (at < 0 || x.Data[index] > x.Data[at]) at = index;
                    }
                    Assert.Equal(BitConverter.SingleToInt32Bits(x.Data[at]), BitConverter.SingleToInt32Bits(y.Data[o]));   // the value itself, bit for bit
                    expectedGrad[at] += dy[o];
                }
        Assert.Equal(expectedGrad, x.Grad);
    }

    [Fact]
    public void Batch_norm_of_images_matches_a_float64_reference()
    {
        var random = new Random(6);
        int n = 3, c = 4, inner = 11 * 13;
        var x = Tensor.Uniform([n, c, 11, 13], random, -2f, 3f, requiresGrad: true);
        var gamma = Tensor.Uniform([c], random, 0.5f, 1.5f, requiresGrad: true);
        var beta = Tensor.Uniform([c], random, -1f, 1f, requiresGrad: true);
        var y = x.BatchNorm(gamma, beta, new float[c], new float[c], training: true);
        var dy = Tensor.Uniform(y.Shape, random, -1f, 1f).Data;
        y.Backward(dy);
        for (int ch = 0; ch < c; ch++)
        {
            var idx = Enumerable.Range(0, n).SelectMany(b => Enumerable.Range((b * c + ch) * inner, inner)).ToArray();
            double mu = idx.Average(i => (double)x.Data[i]), sd = Math.Sqrt(idx.Average(i => (x.Data[i] - mu) * (x.Data[i] - mu)) + 1e-5);
            double meanDy = idx.Average(i => (double)dy[i]), meanDyXhat = idx.Average(i => dy[i] * (x.Data[i] - mu) / sd);
            // Absolute tolerances (float32 rounding differs with the vector width the CPU offers), not decimal places,
            // which fail when the two values round to either side of a digit.
            Assert.Equal(idx.Sum(i => (double)dy[i]), beta.Grad![ch], 1e-3);
            Assert.Equal(idx.Sum(i => dy[i] * (x.Data[i] - mu) / sd), gamma.Grad![ch], 1e-3);
            foreach (int i in idx)
            {
                double xhat = (x.Data[i] - mu) / sd;
                Assert.Equal(gamma.Data[ch] * xhat + beta.Data[ch], y.Data[i], 1e-4);
                Assert.Equal(gamma.Data[ch] / sd * (dy[i] - meanDy - xhat * meanDyXhat), x.Grad![i], 1e-4);
            }
        }
    }

    [Fact]
    public void Cross_entropy_and_mse_match_hand_computation()
    {
        var logits = new Tensor([0f, MathF.Log(3f), 1f, 1f], [2, 2]);
        // row 0: softmax = [1/4, 3/4], label 1 → −log(3/4); row 1: [1/2, 1/2], label 0 → log 2
        Assert.Equal((-MathF.Log(0.75f) + MathF.Log(2f)) / 2, logits.CrossEntropy([1, 0]).Item(), 1e-5);
        var ls = logits.LogSoftmax();
        Assert.Equal(MathF.Log(0.25f), ls.Data[0], 1e-5);
        Assert.Equal(((1f - 0f) * (1f - 0f) + 4f) / 2, new Tensor([1f, 3f], [2]).MseLoss(new Tensor([0f, 1f], [2])).Item());
    }
}
