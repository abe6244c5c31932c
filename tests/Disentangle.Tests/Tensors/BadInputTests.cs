using Disentangle.Tensors;

namespace Disentangle.Tests.Tensors;

/// <summary>Every bad-input path throws one ArgumentException naming the op and the shapes.</summary>
public sealed class BadInputTests
{
    private static void Throws(Action act, params string[] fragments)
    {
        var e = Assert.ThrowsAny<ArgumentException>(act);
        foreach (var f in fragments) Assert.Contains(f, e.Message);
    }

    [Fact]
    public void Mismatched_shapes_name_the_op_and_both_shapes()
    {
        var a = Tensor.Zeros([2, 3]);
        Throws(() => _ = a + Tensor.Zeros([4]), "Add", "[2, 3]", "[4]");
        Throws(() => _ = a * Tensor.Zeros([3, 3]), "Mul", "[2, 3]", "[3, 3]");
        Throws(() => a.MatMul(Tensor.Zeros([2, 3])), "MatMul", "[2, 3]");
        Throws(() => a.MatMul(Tensor.Zeros([3])), "MatMul", "[3]");
        Throws(() => a.Linear(Tensor.Zeros([4, 2])), "Linear", "[2, 3]", "[4, 2]");
        Throws(() => a.Linear(Tensor.Zeros([4, 3]), Tensor.Zeros([3])), "Linear", "bias", "[3]");
        Throws(() => a.MseLoss(Tensor.Zeros([3, 2])), "MseLoss", "[2, 3]", "[3, 2]");
        Throws(() => Tensor.Concat([a, Tensor.Zeros([3, 3])], 1), "Concat", "[3, 3]");
        Throws(() => a.Reshape(4, 2), "Reshape", "[2, 3]", "[4, 2]");
        Throws(() => a.Reshape(-1, -1), "Reshape");
        Throws(() => a.Permute(0, 0), "Permute");
    }

    [Fact]
    public void Wrong_ranks_and_sizes_are_rejected()
    {
        var image = Tensor.Zeros([1, 3, 8, 8]);
        Throws(() => image.Conv2d(Tensor.Zeros([4, 2, 3, 3])), "Conv2d", "[1, 3, 8, 8]", "[4, 2, 3, 3]");
        Throws(() => Tensor.Zeros([3, 8, 8]).Conv2d(Tensor.Zeros([4, 3, 3, 3])), "Conv2d", "[3, 8, 8]");
        Throws(() => image.Conv2d(Tensor.Zeros([4, 3, 3, 3]), Tensor.Zeros([5])), "Conv2d", "bias", "[5]");
        Throws(() => image.Conv2d(Tensor.Zeros([4, 3, 9, 9])), "Conv2d", "9×9");
        Throws(() => image.Conv2d(Tensor.Zeros([4, 3, 3, 3]), null, 0), "stride");
        Throws(() => Tensor.Zeros([3, 8]).MaxPool2d(2), "MaxPool2d", "[3, 8]");
        Throws(() => image.AvgPool2d(2, 2, 2), "AvgPool2d", "padding");
        Throws(() => Tensor.Zeros([2, 3, 4]).CrossEntropy([0, 1]), "CrossEntropy", "[2, 3, 4]");
        Throws(() => Tensor.Zeros([2, 3]).CrossEntropy([0, 3]), "CrossEntropy", "label 3");
        Throws(() => Tensor.Zeros([2, 3]).LogSoftmax().Sum([5]), "Sum", "axis 5");
        Throws(() => Tensor.Zeros([2, 3]).Sum([1, -1]), "Sum", "repeated");
        Throws(() => Tensor.Zeros([2, 3]).Slice(1, 2, 2), "Slice", "[2, 3]");
        Throws(() => Tensor.Zeros([2, 3]).BatchNorm(null, null, new float[2], new float[3], true), "BatchNorm", "runningMean", "3 channels");
        Throws(() => Tensor.Zeros([1, 3]).BatchNorm(null, null, new float[3], new float[3], true), "BatchNorm", "more than one value");
        Throws(() => Tensor.Zeros([2, 3]).BatchNormReluMaxPool(null, null, new float[3], new float[3], true), "BatchNormReluMaxPool", "[2, 3]");
        Throws(() => Tensor.Zeros([2, 3, 1, 4]).BatchNormReluMaxPool(null, null, new float[3], new float[3], true), "BatchNormReluMaxPool", "H, W ≥ 2");
        Throws(() => Tensor.Zeros([2, 3, 4, 4]).BatchNormReluMaxPool(null, null, new float[2], new float[3], true), "BatchNormReluMaxPool", "runningMean", "3 channels");
        Throws(() => new Tensor(new float[5], [2, 3]), "[2, 3]", "5");
    }
}
