using Disentangle.Autodiff;
using Disentangle.Nn;
using Disentangle.Tensors;

namespace Disentangle.Tests.Tensors;

/// <summary><see cref="Tensor.BatchNormReluMaxPool"/> gives the values of batch norm, ReLU and 2×2 max pooling in turn bit
/// for bit (running statistics too), their gradients within float32 rounding, and central differences' gradients; a
/// Conv-4 block built on it trains like the three layers.</summary>
public sealed class NormReluPoolTests
{
    public static TheoryData<int, int, int, int, bool, bool> Cases => new()
    {
        { 3, 4, 6, 8, true, true },     // training, affine
        { 2, 3, 5, 7, true, true },     // odd sides: the last row and column are in no window
        { 4, 2, 6, 6, true, false },    // without γ, β
        { 2, 3, 6, 6, false, true },    // evaluation: running statistics
        { 4, 16, 16, 16, true, true },  // planes long enough for SIMD
        { 2, 3, 34, 37, true, true },   // 16 outputs a row in AVX-512, then 2 more one by one; an odd last column
        { 2, 3, 32, 64, true, true },   // AVX-512 backward: two blocks of 16 windows a row
        { 3, 2, 32, 32, false, true },  // AVX-512 backward in evaluation
        { 2, 3, 18, 16, true, true },   // rows of 8 windows in pairs, an odd last one alone (the backward one by one)
    };

    private static (Tensor X, Tensor? Scale, Tensor? Offset) Inputs(int n, int c, int h, int w, bool affine, int seed)
    {
        var random = new Random(seed);
        var x = Tensor.Uniform([n, c, h, w], random, -2f, 2f, requiresGrad: true);
        return affine
            ? (x, Tensor.Uniform([c], random, 0.5f, 1.5f, requiresGrad: true), Tensor.Uniform([c], random, -0.5f, 0.5f, requiresGrad: true))
            : (x, null, null);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Values_are_the_three_ops_bit_for_bit_and_gradients_agree(int n, int c, int h, int w, bool training, bool affine)
    {
        var (x, scale, offset) = Inputs(n, c, h, w, affine, 1);
        var (x2, scale2, offset2) = Inputs(n, c, h, w, affine, 1);
        float[] mean = Enumerable.Range(0, c).Select(i => 0.1f * i).ToArray(), variance = Enumerable.Range(0, c).Select(i => 1f + 0.2f * i).ToArray();
        float[] mean2 = (float[])mean.Clone(), variance2 = (float[])variance.Clone();

        var fused = x.BatchNormReluMaxPool(scale, offset, mean, variance, training);
        var composed = x2.BatchNorm(scale2, offset2, mean2, variance2, training).Relu().MaxPool2d(2);
        Assert.Equal(composed.Shape, fused.Shape);
        Assert.Equal(composed.Data, fused.Data);          // bit for bit
        Assert.Equal(mean2, mean);
        Assert.Equal(variance2, variance);
        Assert.Contains(fused.Data, v => v == 0f);        // some windows are all off: their gradient stops at the ReLU
        Assert.Contains(fused.Data, v => v > 0f);

        var weights = Tensor.Uniform(fused.Shape, new Random(2), -1f, 1f);
        fused.Mul(weights).Sum().Backward();
        composed.Mul(weights).Sum().Backward();
        AssertClose(x2.Grad!, x.Grad!);
        if (affine)
        {
            AssertClose(scale2!.Grad!, scale!.Grad!);
            AssertClose(offset2!.Grad!, offset!.Grad!);
        }
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 + 1e-4 * Math.Abs(expected[i]), $"[{i}]: {actual[i]} vs {expected[i]}");
    }

    [Theory]
    [InlineData(true, 4, 6)]
    [InlineData(false, 4, 6)]
    [InlineData(true, 16, 16)]   // rows of 8 windows in pairs (AVX-512)
    [InlineData(true, 4, 32)]    // a row of 16 windows (AVX-512)
    public void Gradients_match_central_differences(bool training, int h, int w)
    {
        var (x, scale, offset) = Inputs(2, 3, h, w, true, 3);
        float[] mean = new float[3], variance = [1.5f, 1f, 0.7f];
        GradCheck.AssertClose(t => t[0].BatchNormReluMaxPool(t[1], t[2], (float[])mean.Clone(), (float[])variance.Clone(), training),
            [x, scale!, offset!], eps: 1e-2, rtol: 2e-2, atol: 3e-3, coords: 40, seed: 3, maxNonSmoothFraction: 0.1);
    }

    [Fact]
    public void A_conv4_block_gives_the_layers_values_in_training_and_evaluation()
    {
        var model = new Conv4(3, 8, new Random(4));
        var layers = model.NamedChildren().Single().Module;   // blocks: conv, bn, relu, pool × 4
        var x = Tensor.Uniform([6, 3, 32, 32], new Random(5), -1f, 1f);
        foreach (bool training in new[] { true, false })
        {
            model.Train(training);
            var state = model.NamedBuffers().Select(b => (float[])b.Buffer.Data.Clone()).ToArray();
            var expected = layers.Forward(x).Flatten();
            foreach (var (buffer, saved) in model.NamedBuffers().Select(b => b.Buffer).Zip(state)) saved.CopyTo(buffer.Data, 0);
            Assert.Equal(expected.Data, model.Forward(x).Data);
        }
        Assert.Equal(["blocks.0.weight", "blocks.0.bias", "blocks.1.weight", "blocks.1.bias"], model.NamedParameters().Select(p => p.Name).Take(4));
    }
}
