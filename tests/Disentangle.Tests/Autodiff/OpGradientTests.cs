using Disentangle.Autodiff;
using Disentangle.Tensors;

namespace Disentangle.Tests.Autodiff;

/// <summary>Every differentiable op against float64 central differences (style guideline 12).</summary>
public sealed class OpGradientTests
{
    private static Tensor R(int[] shape, int seed, float low = -1f, float high = 1f)
        => Tensor.Uniform(shape, new Random(seed), low, high, requiresGrad: true);

    /// <summary>Values bounded away from 0 (for kinks and divisions): |x| in [0.2, 1.2].</summary>
    private static Tensor AwayFromZero(int[] shape, int seed)
    {
        var t = R(shape, seed);
        for (int i = 0; i < t.Length; i++) t.Data[i] = t.Data[i] >= 0 ? t.Data[i] + 0.2f : t.Data[i] - 0.2f;
        return t;
    }

    private static void Check(Func<Tensor[], Tensor> f, params Tensor[] inputs)
        => GradCheck.AssertClose(f, inputs, eps: 1e-2, rtol: 1e-2, atol: 2e-3, coords: 30, seed: 7);

    [Fact]
    public void Binary_ops_on_equal_shapes_match_central_differences()
    {
        var a = R([3, 4], 1);
        var b = AwayFromZero([3, 4], 2);
        Check(t => t[0] + t[1], a, b);
        Check(t => t[0] - t[1], a, b);
        Check(t => t[0] * t[1], a, b);
        Check(t => t[0] / t[1], a, b);
    }

    [Theory]
    [InlineData(new[] { 5, 3 }, new[] { 3 })]                 // bias over rows
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 1, 3, 1, 1 })]  // per-channel
    [InlineData(new[] { 3, 1 }, new[] { 1, 4 })]              // both broadcast
    [InlineData(new[] { 2, 3, 4 }, new[] { 2, 1, 4 })]        // middle axis
    [InlineData(new[] { 4 }, new int[0])]                     // scalar tensor
    public void Broadcast_binary_ops_match_central_differences(int[] shapeA, int[] shapeB)
    {
        var a = R(shapeA, 3);
        var b = AwayFromZero(shapeB, 4);
        Check(t => t[0] + t[1], a, b);
        Check(t => t[1] - t[0], a, b);
        Check(t => t[0] * t[1], a, b);
        Check(t => t[0] / t[1], a, b);
    }

    [Fact]
    public void Unary_ops_match_central_differences()
    {
        var x = R([4, 5], 5);
        var positive = R([4, 5], 6, 0.5f, 2f);
        var away = AwayFromZero([4, 5], 7);
        Check(t => t[0].Neg(), x);
        Check(t => t[0] + 3f, x);
        Check(t => 2.5f * t[0], x);
        Check(t => 1f - t[0] / 4f, x);
        Check(t => t[0].Exp(), x);
        Check(t => t[0].Log(), positive);
        Check(t => t[0].Sqrt(), positive);
        Check(t => t[0].Square(), x);
        Check(t => t[0].Pow(1.7f), positive);
        Check(t => t[0].Abs(), away);
        Check(t => t[0].Tanh(), x);
        Check(t => t[0].Sigmoid(), x);
        Check(t => t[0].Relu(), away);
        Check(t => t[0].LeakyRelu(0.1f), away);
    }

    [Fact]
    public void Reductions_match_central_differences()
    {
        var x = R([2, 3, 4], 8);
        Check(t => t[0].Sum(), x);
        Check(t => t[0].Mean(), x);
        Check(t => t[0].Sum([1]), x);
        Check(t => t[0].Sum([0, 2], keepDim: true), x);
        Check(t => t[0].Mean([-1]), x);
        Check(t => t[0].Mean([0, 1, 2]), x);
    }

    [Fact]
    public void Shape_ops_match_central_differences()
    {
        var x = R([2, 3, 4], 9);
        var y = R([2, 5, 4], 10);
        Check(t => t[0].Reshape(6, -1), x);
        Check(t => t[0].Flatten(), x);
        Check(t => t[0].Transpose(0, 2), x);
        Check(t => t[0].Permute(1, 2, 0), x);
        Check(t => Tensor.Concat([t[0], t[1]], 1), x, y);
        Check(t => t[0].Slice(2, 1, 2), x);
        Check(t => t[0].Reshape(6, 4) * t[0].Reshape(6, 4), x);   // a view used twice accumulates
    }

    [Fact]
    public void Matrix_products_match_central_differences()
    {
        Check(t => t[0].MatMul(t[1]), R([3, 4], 11), R([4, 5], 12));
        Check(t => t[0].MatMul(t[1]), R([2, 3, 4], 13), R([2, 4, 5], 14));
        Check(t => t[0].MatMul(t[1]), R([2, 3, 4], 15), R([4, 5], 16));
        Check(t => t[0].Linear(t[1], t[2]), R([6, 4], 17), R([3, 4], 18), R([3], 19));
        Check(t => t[0].Linear(t[1]), R([2, 6, 4], 20), R([3, 4], 21));
    }

    [Theory]
    [InlineData(2, 3, 7, 7, 4, 3, 1, 1, 1, 1, 1)]
    [InlineData(2, 3, 8, 8, 5, 4, 2, 1, 1, 1, 1)]    // the encoder's k4 s2 with SAME = 1/1
    [InlineData(1, 2, 7, 6, 3, 3, 2, 1, 1, 0, 1)]    // asymmetric SAME-style padding
    [InlineData(2, 2, 5, 5, 3, 2, 2, 0, 0, 0, 0)]    // k2 s2, no padding (odd input drops a row)
    [InlineData(1, 1, 4, 4, 2, 1, 1, 0, 0, 0, 0)]    // 1×1 kernel
    public void Conv2d_matches_central_differences(int n, int c, int h, int w, int o, int k, int stride, int top, int bottom, int left, int right)
    {
        var x = R([n, c, h, w], 22);
        var weight = R([o, c, k, k], 23);
        var bias = R([o], 24);
        var pad = new Padding2d(top, bottom, left, right);
        foreach (var backend in Disentangle.Tests.Tensors.ConvBackendTests.Available)   // both backends: oneDNN's gradients are checked here too
        {
            using var scope = Convolution.Override(backend);
            Check(t => t[0].Conv2d(t[1], t[2], stride, pad), x, weight, bias);
            Check(t => t[0].Conv2d(t[1], null, stride, pad), x, weight);
            GradCheck.AssertClose(t => t[0].Conv2dRelu(t[1], t[2], stride, pad), [x, weight, bias], eps: 1e-2, rtol: 1e-2, atol: 2e-3,
                coords: 30, seed: 7, maxNonSmoothFraction: 0.1);
        }
    }

    [Fact]
    public void Conv2d_with_several_image_chunks_matches_central_differences()
    {
        Tensor.ConvChunkFloats = 1;   // one image per chunk: exercises the im2col chunk loop
        using var scope = Convolution.Override(ConvBackend.Im2ColGemm);
        try { Check(t => t[0].Conv2d(t[1], t[2], 2, 1), R([3, 2, 6, 6], 25), R([3, 2, 3, 3], 26), R([3], 27)); }
        finally { Tensor.ConvChunkFloats = 0; }
    }

    [Fact]
    public void Pooling_matches_central_differences()
    {
        var x = R([2, 3, 6, 5], 28);   // distinct values: no ties
        Check(t => t[0].MaxPool2d(2), x);
        Check(t => t[0].MaxPool2d(3, 2, 1), x);
        Check(t => t[0].AvgPool2d(2), x);
        Check(t => t[0].AvgPool2d(3, 2, 1), x);
    }

    [Fact]
    public void Losses_match_central_differences()
    {
        var logits = R([5, 4], 29, -2f, 2f);
        Check(t => t[0].LogSoftmax(), logits);
        Check(t => t[0].CrossEntropy([0, 3, 1, 1, 2]), logits);
        Check(t => t[0].MseLoss(t[1]), R([4, 3], 30), R([4, 3], 31));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Batch_norm_matches_central_differences(bool training, bool affine)
    {
        foreach (int[] shape in new[] { new[] { 6, 3 }, new[] { 3, 2, 3, 2 } })
        {
            int c = shape[1];
            var x = R(shape, 32, -2f, 2f);
            var mean = new float[c];
            var variance = Enumerable.Repeat(1.5f, c).ToArray();
            var inputs = affine ? new[] { x, R([c], 33, 0.5f, 1.5f), R([c], 34) } : [x];
            GradCheck.AssertClose(t => t[0].BatchNorm(affine ? t[1] : null, affine ? t[2] : null, mean, variance, training),
                inputs, eps: 1e-2, rtol: 2e-2, atol: 3e-3, coords: 30, seed: 3);
        }
    }
}
