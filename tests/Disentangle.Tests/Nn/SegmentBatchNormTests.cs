using Disentangle.Autodiff;
using Disentangle.Nn;
using Disentangle.Tensors;
using Disentangle.Training;

namespace Disentangle.Tests.Nn;

public sealed class SegmentBatchNormTests
{
    [Fact]
    public void Each_segment_is_normalised_as_a_batch_norm_of_its_rows_alone()
    {
        var x = Tensor.RandN([9, 3], new Random(1));
        var perTask = new BatchNorm1d(3, affine: false) { Segments = [4, 5] };
        var y = perTask.Forward(x);
        foreach (var (first, rows) in new[] { (0, 4), (4, 5) })
        {
            var alone = new BatchNorm1d(3, affine: false).Forward(x.Slice(0, first, rows));
            for (int i = 0; i < alone.Length; i++) Assert.Equal(alone.Data[i], y.Data[first * 3 + i], 1e-5);
        }
    }

    [Fact]
    public void Running_statistics_are_the_mean_over_segments_of_the_per_segment_updates()
    {
        var x = Tensor.RandN([10, 2], new Random(2));
        var perTask = new BatchNorm1d(2, affine: false, momentum: 0.1f) { Segments = [5, 5] };
        perTask.Forward(x);
        var a = new BatchNorm1d(2, affine: false, momentum: 0.1f);
        var b = new BatchNorm1d(2, affine: false, momentum: 0.1f);
        a.Forward(x.Slice(0, 0, 5));
        b.Forward(x.Slice(0, 5, 5));
        for (int c = 0; c < 2; c++)
        {
            Assert.Equal((a.RunningMean.Data[c] + b.RunningMean.Data[c]) / 2, perTask.RunningMean.Data[c], 1e-6);
            Assert.Equal((a.RunningVar.Data[c] + b.RunningVar.Data[c]) / 2, perTask.RunningVar.Data[c], 1e-6);
        }
    }

    [Fact]
    public void Per_segment_batch_norm_passes_gradcheck_in_the_input_scale_and_offset()
    {
        var random = new Random(3);
        var x = Tensor.RandN([7, 3], random, requiresGrad: true);
        var scale = Tensor.RandN([3], random, requiresGrad: true);
        var offset = Tensor.RandN([3], random, requiresGrad: true);
        var weights = Tensor.RandN([7, 3], random);
        GradCheck.AssertClose(t => t[0].SegmentBatchNorm([3, 4], t[1], t[2], new float[3], new float[3]).Mul(weights).Square().Sum(),
            [x, scale, offset], eps: 1e-3, rtol: 2e-2, atol: 1e-3);
    }

    [Fact]
    public void Evaluation_mode_ignores_the_segments()
    {
        var x = Tensor.RandN([6, 2], new Random(4));
        var plain = new BatchNorm1d(2, affine: false);
        var perTask = new BatchNorm1d(2, affine: false) { Segments = [3, 3] };
        plain.Eval();
        perTask.Eval();
        Assert.Equal(plain.Forward(x).Data, perTask.Forward(x).Data);
    }

    [Fact]
    public void Bad_segments_are_refused_with_a_message()
    {
        var x = Tensor.RandN([6, 2], new Random(5));
        Assert.Throws<ArgumentException>(() => new BatchNorm1d(2) { Segments = [3, 2] }.Forward(x));
        Assert.Throws<ArgumentException>(() => new BatchNorm1d(2) { Segments = [5, 1] }.Forward(x));
        Assert.Throws<InvalidOperationException>(() => new BatchNorm2d(2) { Segments = [3, 3] });
    }

    [Fact]
    public void Task_segments_follow_the_layout_with_inner_and_outer_sets_apart_when_split()
    {
        Assert.Equal([50, 50, 50], BilevelStep.TaskSegments(TaskLayout.Shared(3, 50)));
        Assert.Equal([25, 10, 25, 10], BilevelStep.TaskSegments(TaskLayout.Split(2, 25, 10)));
    }
}
