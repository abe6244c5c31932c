using Disentangle.Tensors;

namespace Disentangle.Nn;

/// <summary>The Conv-4 few-shot backbone (Vinyals et al. 2016; Snell et al. 2017): four blocks of 3×3 convolution
/// (padding 1) → batch norm → ReLU → 2×2 max pooling, then flatten.</summary>
/// <remarks>An (N, C, S, S) batch gives (N, width · ⌊S/16⌋²) features: 4·width for 32×32 images.</remarks>
public sealed class Conv4 : Module
{
    private readonly Conv2d[] _convolutions = new Conv2d[4];
    private readonly BatchNorm2d[] _norms = new BatchNorm2d[4];

    /// <summary>Creates the backbone.</summary>
    /// <param name="inChannels">Image channels C.</param>
    /// <param name="width">Channels of every block (64 in the papers).</param>
    /// <param name="random">Initialisation.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive.</exception>
    public Conv4(int inChannels, int width, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        InChannels = inChannels;
        Width = width;
        var layers = new List<Module>();
        for (int b = 0; b < 4; b++)
        {
            _convolutions[b] = new Conv2d(b == 0 ? inChannels : width, width, 3, random, 1, ConvPadding.Explicit(1));
            _norms[b] = new BatchNorm2d(width);
            layers.AddRange([_convolutions[b], _norms[b], new ReLU(), new MaxPool2d(2)]);
        }
        RegisterModule("blocks", new Sequential([.. layers]));   // the layers' names (blocks.0.weight, …); Forward fuses each block's last three
    }

    /// <summary>Image channels.</summary>
    public int InChannels { get; }

    /// <summary>Channels per block.</summary>
    public int Width { get; }

    /// <summary>Number of features for S×S inputs: width · ⌊S/16⌋².</summary>
    public int FeatureCount(int imageSize) => Width * (imageSize / 16) * (imageSize / 16);

    /// <summary>(N, C, S, S) images → (N, features), S ≥ 16.</summary>
    /// <exception cref="ArgumentException">The input is not (N, C, H, W) with H, W ≥ 16.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[1] != InChannels || input.Shape[2] < 16 || input.Shape[3] < 16)
            throw new ArgumentException($"Conv4: input {Tensor.Format(input.Shape)} must be (N, {InChannels}, H, W) with H, W ≥ 16.", nameof(input));
        var h = input;
        for (int b = 0; b < 4; b++) h = _norms[b].ForwardReluMaxPool(_convolutions[b].Forward(h));
        return h.Flatten();
    }
}
