using Disentangle.Autodiff;
using Disentangle.Nn;
using Disentangle.Tensors;

namespace Disentangle.Tests.Nn;

public sealed class BatchNormTests
{
    private static readonly float[] X = [1f, 10f, 2f, 20f, 3f, 30f, 6f, 60f];   // (4, 2): channel 0 = 1,2,3,6; channel 1 = 10·that

    [Fact]
    public void Training_normalises_with_biased_batch_statistics()
    {
        var bn = new BatchNorm1d(2, affine: false);
        var y = bn.Forward(new Tensor((float[])X.Clone(), [4, 2]));
        // channel 0: mean 3, biased variance (4 + 1 + 0 + 9)/4 = 3.5
        double inv = 1 / Math.Sqrt(3.5 + 1e-5);
        Assert.Equal((float)(-2 * inv), y.Data[0], 1e-5);
        Assert.Equal((float)(3 * inv), y.Data[6], 1e-5);
        for (int c = 0; c < 2; c++)
        {
            var col = Enumerable.Range(0, 4).Select(i => (double)y.Data[i * 2 + c]).ToArray();
            Assert.Equal(0, col.Average(), 1e-5);
            Assert.Equal(1, col.Average(v => v * v), 1e-3);
        }
    }

    [Fact]
    public void Training_updates_running_statistics_with_momentum_and_unbiased_variance()
    {
        var bn = new BatchNorm1d(2, affine: false, momentum: 0.1f);
        bn.Forward(new Tensor((float[])X.Clone(), [4, 2]));
        // running_mean = 0.9·0 + 0.1·3 ; running_var = 0.9·1 + 0.1·(14/3)
        Assert.Equal(0.3f, bn.RunningMean.Data[0], 1e-6);
        Assert.Equal(3f, bn.RunningMean.Data[1], 1e-5);
        Assert.Equal(0.9f + 0.1f * 14f / 3f, bn.RunningVar.Data[0], 1e-5);
        Assert.Equal(0.9f + 0.1f * 1400f / 3f, bn.RunningVar.Data[1], 1e-3);
        bn.Forward(new Tensor((float[])X.Clone(), [4, 2]));
        Assert.Equal(0.9f * 0.3f + 0.3f, bn.RunningMean.Data[0], 1e-6);
    }

    [Fact]
    public void Evaluation_uses_running_statistics_and_leaves_them_unchanged()
    {
        var bn = new BatchNorm1d(2, affine: true);
        bn.RunningMean.Data[0] = 2f; bn.RunningVar.Data[0] = 4f;
        bn.RunningMean.Data[1] = -1f; bn.RunningVar.Data[1] = 0.25f;
        bn.Scale!.Data[0] = 3f; bn.Offset!.Data[1] = 0.5f;
        bn.Eval();
        var y = bn.Forward(new Tensor([4f, 0f], [1, 2]));   // one sample is fine in evaluation
        Assert.Equal(3f * (4f - 2f) / MathF.Sqrt(4f + 1e-5f), y.Data[0], 1e-5);
        Assert.Equal((0f + 1f) / MathF.Sqrt(0.25f + 1e-5f) + 0.5f, y.Data[1], 1e-4);
        Assert.Equal([2f, -1f], bn.RunningMean.Data);
        Assert.Equal([4f, 0.25f], bn.RunningVar.Data);
    }

    [Fact]
    public void Batch_norm_2d_uses_all_pixels_of_a_channel()
    {
        var random = new Random(9);
        var x = Tensor.RandN([3, 2, 4, 5], random, 2f);
        var bn = new BatchNorm2d(2, affine: false, momentum: 1f);
        var y = bn.Forward(x);
        for (int c = 0; c < 2; c++)
        {
            var values = Enumerable.Range(0, 3).SelectMany(n => x.Data.Skip((n * 2 + c) * 20).Take(20)).Select(v => (double)v).ToArray();
            double mean = values.Average(), unbiased = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
            Assert.Equal(mean, bn.RunningMean.Data[c], 1e-4);
            Assert.Equal(unbiased, bn.RunningVar.Data[c], 1e-3);
            var outs = Enumerable.Range(0, 3).SelectMany(n => y.Data.Skip((n * 2 + c) * 20).Take(20)).ToArray();
            Assert.Equal(0, outs.Average(v => (double)v), 1e-4);
        }
    }

    [Fact]
    public void Batch_norm_layers_match_central_differences()
    {
        var random = new Random(10);
        var bn1 = new BatchNorm1d(3);
        Init.Uniform(bn1.Scale!, 0.5, 1.5, random);
        var x1 = Tensor.RandN([5, 3], random, requiresGrad: true);
        GradCheck.AssertClose(t => bn1.Forward(t[0]), [x1, bn1.Scale!, bn1.Offset!], eps: 1e-2, rtol: 2e-2, atol: 3e-3);
        var bn2 = new BatchNorm2d(2, affine: false);
        GradCheck.AssertClose(t => bn2.Forward(t[0]), [Tensor.RandN([2, 2, 3, 3], random, requiresGrad: true)], eps: 1e-2, rtol: 2e-2, atol: 3e-3);
        bn2.Eval();
        GradCheck.AssertClose(t => bn2.Forward(t[0]), [Tensor.RandN([2, 2, 3, 3], random, requiresGrad: true)], eps: 1e-2, rtol: 2e-2, atol: 3e-3);
    }
}
