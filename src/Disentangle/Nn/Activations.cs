using Disentangle.Tensors;

namespace Disentangle.Nn;

/// <summary>max(x, 0).</summary>
public sealed class ReLU : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Relu();
}

/// <summary>x for x &gt; 0, slope·x otherwise.</summary>
/// <param name="slope">Negative-side slope (MetaOptNet's ResNet-12 uses 0.1).</param>
public sealed class LeakyReLU(float slope = 0.01f) : Module
{
    /// <summary>Negative-side slope.</summary>
    public float Slope { get; } = slope;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.LeakyRelu(Slope);
}

/// <summary>Max pooling over kernel×kernel windows.</summary>
/// <param name="kernel">Window side.</param>
/// <param name="stride">Step; null means the kernel size.</param>
public sealed class MaxPool2d(int kernel, int? stride = null) : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.MaxPool2d(kernel, stride);
}

/// <summary>Merges all axes from <paramref name="startAxis"/> on: (N, C, H, W) → (N, C·H·W).</summary>
public sealed class Flatten(int startAxis = 1) : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Flatten(startAxis);
}
