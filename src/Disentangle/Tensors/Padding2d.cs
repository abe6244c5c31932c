namespace Disentangle.Tensors;

/// <summary>Zero padding of a 2-D convolution or pooling input, per side.</summary>
/// <param name="Top">Rows added above.</param>
/// <param name="Bottom">Rows added below.</param>
/// <param name="Left">Columns added on the left.</param>
/// <param name="Right">Columns added on the right.</param>
public readonly record struct Padding2d(int Top, int Bottom, int Left, int Right)
{
    /// <summary>The same padding <paramref name="p"/> on every side (PyTorch's integer padding).</summary>
    public static Padding2d Symmetric(int p) => new(p, p, p, p);

    /// <summary>TensorFlow's "SAME" padding: output size ⌈in/stride⌉, the odd extra row/column at the bottom/right.</summary>
    /// <remarks>Per axis: <c>total = max((⌈in/s⌉ − 1)·s + k − in, 0)</c>, <c>before = total/2</c>, <c>after = total − before</c>.</remarks>
    public static Padding2d Same(int height, int width, int kernelHeight, int kernelWidth, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        var (top, bottom) = SameAxis(height, kernelHeight, stride);
        var (left, right) = SameAxis(width, kernelWidth, stride);
        return new(top, bottom, left, right);
    }

    private static (int Before, int After) SameAxis(int size, int kernel, int stride)
    {
        int output = (size + stride - 1) / stride;
        int total = Math.Max((output - 1) * stride + kernel - size, 0);
        return (total / 2, total - total / 2);
    }

    /// <summary>Output rows of a window of <paramref name="kernelHeight"/> rows sliding by <paramref name="stride"/> over
    /// <paramref name="height"/> rows padded by this padding.</summary>
    public int OutHeight(int height, int kernelHeight, int stride) => (height + Top + Bottom - kernelHeight) / stride + 1;

    /// <summary>Output columns of a window of <paramref name="kernelWidth"/> columns sliding by <paramref name="stride"/>
    /// over <paramref name="width"/> columns padded by this padding.</summary>
    public int OutWidth(int width, int kernelWidth, int stride) => (width + Left + Right - kernelWidth) / stride + 1;

    /// <summary>True when no side is negative.</summary>
    public bool IsValid => Top >= 0 && Bottom >= 0 && Left >= 0 && Right >= 0;

    /// <inheritdoc/>
    public override string ToString() => $"(top {Top}, bottom {Bottom}, left {Left}, right {Right})";
}
