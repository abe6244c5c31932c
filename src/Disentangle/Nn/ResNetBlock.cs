using Disentangle.Tensors;

namespace Disentangle.Nn;

/// <summary>One residual block of MetaOptNet's ResNet-12.</summary>
/// <remarks>Three (3×3 conv without bias → batch norm) stages with leaky ReLU after the first two; a 1×1 conv + batch norm
/// shortcut added before the third leaky ReLU; then 2×2 max pooling; then, when training with a drop rate, DropBlock
/// (γ = (1 − keep)/b² · H²/(H − b + 1)², keep = max(1 − rate·t/40000, 1 − rate) after t training batches) or dropout.</remarks>
public sealed class ResNetBlock : Module
{
    private readonly Conv2d conv1, conv2, conv3;
    private readonly BatchNorm2d bn1, bn2, bn3;
    private readonly Sequential downsample;
    private readonly float slope, dropRate;
    private readonly DropBlock? dropBlock;
    private readonly Dropout? dropout;

    /// <summary>Creates the block; weights from <paramref name="random"/> (Kaiming normal, fan-out), masks from <paramref name="noise"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive or the drop rate is outside [0, 1).</exception>
    public ResNetBlock(int inChannels, int outChannels, Random random, Random noise, float dropRate = 0f, int? dropBlockSize = null, float slope = 0.1f)
    {
        if (dropRate is < 0f or >= 1f) throw new ArgumentOutOfRangeException(nameof(dropRate), $"ResNetBlock: drop rate {dropRate} must be in [0, 1).");
        this.slope = slope;
        this.dropRate = dropRate;
        conv1 = RegisterModule("conv1", Conv(inChannels, outChannels, 3, random));
        bn1 = RegisterModule("bn1", new BatchNorm2d(outChannels));
        conv2 = RegisterModule("conv2", Conv(outChannels, outChannels, 3, random));
        bn2 = RegisterModule("bn2", new BatchNorm2d(outChannels));
        conv3 = RegisterModule("conv3", Conv(outChannels, outChannels, 3, random));
        bn3 = RegisterModule("bn3", new BatchNorm2d(outChannels));
        downsample = RegisterModule("downsample", new Sequential(Conv(inChannels, outChannels, 1, random), new BatchNorm2d(outChannels)));
        if (dropBlockSize is int size) dropBlock = new DropBlock(size, noise);
        else if (dropRate > 0f) dropout = RegisterModule("dropout", new Dropout(dropRate, noise));
    }

    /// <summary>Training forward passes so far (drives the DropBlock schedule).</summary>
    public long BatchesTracked { get; private set; }

    private static Conv2d Conv(int cin, int cout, int k, Random random)
    {
        var conv = new Conv2d(cin, cout, k, random, 1, ConvPadding.Explicit(k / 2), bias: false);
        Init.KaimingNormal(conv.Weight, Init.Fans(conv.Weight.Shape).FanOut, random);   // MetaOptNet: kaiming_normal_(fan_out, leaky_relu)
        return conv;
    }

    /// <summary>(N, C, H, W) → (N, O, ⌊H/2⌋, ⌊W/2⌋).</summary>
    public override Tensor Forward(Tensor input)
    {
        var h = bn1.Forward(conv1.Forward(input)).LeakyRelu(slope);
        h = bn2.Forward(conv2.Forward(h)).LeakyRelu(slope);
        h = bn3.Forward(conv3.Forward(h));
        h = (h + downsample.Forward(input)).LeakyRelu(slope).MaxPool2d(2);
        if (!Training || dropRate == 0f) return h;
        BatchesTracked++;
        if (dropBlock is null) return dropout!.Forward(h);
        int feat = h.Shape[2], b = dropBlock.BlockSize;
        double keep = Math.Max(1.0 - dropRate / (20.0 * 2000.0) * BatchesTracked, 1.0 - dropRate);
        double gamma = (1 - keep) / (b * b) * feat * feat / Math.Pow(feat - b + 1, 2);
        return dropBlock.Apply(h, gamma);
    }
}
