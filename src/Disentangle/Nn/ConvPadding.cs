using Disentangle.Tensors;

namespace Disentangle.Nn;

/// <summary>How a convolution pads its input: a fixed amount, or TensorFlow's "SAME" (depends on the input size).</summary>
public abstract record ConvPadding
{
    /// <summary>TensorFlow's "SAME": output size ⌈in/stride⌉ (see <see cref="Padding2d.Same"/>).</summary>
    public static ConvPadding Same { get; } = new SamePadding();

    /// <summary><paramref name="padding"/> zeros on every side (PyTorch's integer padding).</summary>
    public static ConvPadding Explicit(int padding) => new ExplicitPadding(padding);

    /// <summary>The per-side padding for an input of the given size.</summary>
    public abstract Padding2d Resolve(int height, int width, int kernel, int stride);
}

/// <summary>The same fixed padding on every side.</summary>
/// <param name="Padding">Zeros per side, ≥ 0.</param>
public sealed record ExplicitPadding(int Padding) : ConvPadding
{
    /// <inheritdoc/>
    public override Padding2d Resolve(int height, int width, int kernel, int stride) => Padding2d.Symmetric(Padding);
}

/// <summary>TensorFlow's "SAME" padding.</summary>
public sealed record SamePadding : ConvPadding
{
    /// <inheritdoc/>
    public override Padding2d Resolve(int height, int width, int kernel, int stride) => Padding2d.Same(height, width, kernel, kernel, stride);
}
