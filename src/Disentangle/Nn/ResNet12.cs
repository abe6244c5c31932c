using Disentangle.Tensors;

namespace Disentangle.Nn;

/// <summary>Options of <see cref="ResNet12"/>; the defaults are MetaOptNet's miniImageNet backbone.</summary>
/// <param name="Widths">Output channels of the four blocks.</param>
/// <param name="DropRate">Drop rate: dropout in the first two blocks, DropBlock in the last two (training only).</param>
/// <param name="DropBlockSize">DropBlock block side.</param>
/// <param name="Slope">Leaky ReLU slope.</param>
/// <param name="InChannels">Image channels.</param>
public sealed record ResNet12Options(int[]? Widths = null, float DropRate = 0.1f, int DropBlockSize = 5, float Slope = 0.1f, int InChannels = 3)
{
    /// <summary>The block widths in use (64, 160, 320, 640 unless given).</summary>
    public int[] BlockWidths => Widths ?? [64, 160, 320, 640];
}

/// <summary>MetaOptNet's ResNet-12 feature extractor: four <see cref="ResNetBlock"/>s, then flatten (no average pooling).</summary>
/// <remarks>An (N, 3, 84, 84) batch gives (N, 640·5·5) = (N, 16000) features. Parameters are named
/// <c>layer1.conv1.weight</c>, <c>layer1.downsample.0.weight</c>, <c>layer1.bn1.running_mean</c>, ….</remarks>
public sealed class ResNet12 : Module
{
    private readonly ResNetBlock[] blocks;

    /// <summary>Creates the network; weights from <paramref name="random"/>, dropout masks from a stream seeded by it.</summary>
    /// <exception cref="ArgumentException">Not four positive widths, or an invalid drop rate, block size or channel count.</exception>
    public ResNet12(ResNet12Options options, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        var widths = options.BlockWidths;
        if (widths.Length != 4 || widths.Any(w => w <= 0))
            throw new ArgumentException($"ResNet12: widths [{string.Join(", ", widths)}] must be four positive channel counts.", nameof(options));
        if (options.DropRate is < 0f or >= 1f)
            throw new ArgumentException($"ResNet12: drop rate {options.DropRate} must be in [0, 1).", nameof(options));
        if (options.DropBlockSize < 1 || options.InChannels < 1)
            throw new ArgumentException($"ResNet12: DropBlock size {options.DropBlockSize} and input channels {options.InChannels} must be positive.", nameof(options));
        Options = options;
        var noise = new Random(random.Next());
        blocks = new ResNetBlock[4];
        int inChannels = options.InChannels;
        for (int i = 0; i < 4; i++)
        {
            blocks[i] = RegisterModule($"layer{i + 1}", new ResNetBlock(inChannels, widths[i], random, noise, options.DropRate,
                i >= 2 ? options.DropBlockSize : null, options.Slope));
            inChannels = widths[i];
        }
    }

    /// <summary>The options this network was built with.</summary>
    public ResNet12Options Options { get; }

    /// <summary>Number of features for a square input of side <paramref name="imageSize"/>: last width × (side / 16)².</summary>
    public int FeatureCount(int imageSize)
    {
        int side = imageSize;
        for (int i = 0; i < 4; i++) side /= 2;
        return Options.BlockWidths[3] * side * side;
    }

    /// <summary>(N, C, H, W) images → (N, features).</summary>
    /// <exception cref="ArgumentException">The input is not (N, InChannels, H, W) with H, W ≥ 16.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[1] != Options.InChannels || input.Shape[2] < 16 || input.Shape[3] < 16)
            throw new ArgumentException($"ResNet12: input {Tensor.Format(input.Shape)} must be (N, {Options.InChannels}, H, W) with H, W ≥ 16.", nameof(input));
        var h = input;
        foreach (var block in blocks) h = block.Forward(h);
        return h.Flatten();
    }
}
