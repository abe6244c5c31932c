using Disentangle.Tensors;

namespace Disentangle.Nn;

/// <summary>2-D convolution layer (N, C, H, W) → (N, O, Ho, Wo); parameters <c>weight</c> (O, C, k, k) and <c>bias</c> (O).</summary>
/// <remarks>Initialised like PyTorch: Kaiming-uniform weight (bound 1/√(C·k²)) and uniform bias with the same bound.</remarks>
public sealed class Conv2d : Module
{
    private readonly ConvPadding padding;

    /// <summary>Creates the layer, drawing its initial values from <paramref name="random"/>.</summary>
    /// <param name="inChannels">C.</param>
    /// <param name="outChannels">O.</param>
    /// <param name="kernelSize">k (square kernels).</param>
    /// <param name="random">Source of the initial values.</param>
    /// <param name="stride">Step of the window.</param>
    /// <param name="padding">Explicit or SAME padding; null means no padding.</param>
    /// <param name="bias">Whether to add a learned bias.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size or the stride is not positive, or the explicit padding is negative.</exception>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Random random, int stride = 1, ConvPadding? padding = null, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentNullException.ThrowIfNull(random);
        if (padding is ExplicitPadding { Padding: < 0 } p)
            throw new ArgumentOutOfRangeException(nameof(padding), $"Conv2d: padding {p.Padding} must not be negative.");
        this.padding = padding ?? ConvPadding.Explicit(0);
        KernelSize = kernelSize;
        Stride = stride;
        Weight = RegisterParameter("weight", Tensor.Zeros([outChannels, inChannels, kernelSize, kernelSize]));
        int fanIn = inChannels * kernelSize * kernelSize;
        Init.KaimingUniform(Weight, fanIn, random);
        if (bias)
        {
            Bias = RegisterParameter("bias", Tensor.Zeros([outChannels]));
            Init.BiasUniform(Bias, fanIn, random);
        }
    }

    /// <summary>Kernel side k.</summary>
    public int KernelSize { get; }

    /// <summary>Stride.</summary>
    public int Stride { get; }

    /// <summary>Weight, shape (O, C, k, k).</summary>
    public Tensor Weight { get; }

    /// <summary>Bias, shape (O), or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>The padding this layer applies to an input of the given size.</summary>
    public Padding2d PaddingFor(int height, int width) => padding.Resolve(height, width, KernelSize, Stride);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4)
            throw new ArgumentException($"Conv2d: input {Tensor.Format(input.Shape)} must be (N, C, H, W).", nameof(input));
        return input.Conv2d(Weight, Bias, Stride, PaddingFor(input.Shape[2], input.Shape[3]));
    }

    /// <summary>ReLU(<see cref="Forward"/>(input)) as one fused op (<see cref="Tensor.Conv2dRelu"/>): same values and
    /// gradients, without storing the pre-activation.</summary>
    /// <exception cref="ArgumentException">The input is not (N, C, H, W) or its channels differ from the layer's.</exception>
    public Tensor ForwardRelu(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4)
            throw new ArgumentException($"Conv2d: input {Tensor.Format(input.Shape)} must be (N, C, H, W).", nameof(input));
        return input.Conv2dRelu(Weight, Bias, Stride, PaddingFor(input.Shape[2], input.Shape[3]));
    }

    /// <summary>ReLU after each of <paramref name="layers"/> in turn, as one op (<see cref="Tensor.ConvReluChain"/>): the
    /// values and gradients of calling <see cref="ForwardRelu"/> layer by layer, with oneDNN's activations kept in its own
    /// layouts between the layers.</summary>
    /// <exception cref="ArgumentException">The input is not (N, C, H, W), no layer is given, or a layer's channels differ from its input's.</exception>
    public static Tensor ForwardReluChain(Tensor input, IReadOnlyList<Conv2d> layers)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(layers);
        if (input.Rank != 4)
            throw new ArgumentException($"Conv2d: input {Tensor.Format(input.Shape)} must be (N, C, H, W).", nameof(input));
        int height = input.Shape[2], width = input.Shape[3];
        var chain = new ConvReluLayer[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var padding = layer.PaddingFor(height, width);
            chain[i] = new ConvReluLayer(layer.Weight, layer.Bias, layer.Stride, padding);
            (height, width) = (padding.OutHeight(height, layer.KernelSize, layer.Stride), padding.OutWidth(width, layer.KernelSize, layer.Stride));
        }
        return input.ConvReluChain(chain);
    }
}
