using Disentangle.Tensors;

namespace Disentangle.Nn;

/// <summary>The 3D Shapes encoder (reference <c>ConvDisentanglement</c>, method.md §4), "SAME" padding throughout.</summary>
/// <remarks>conv 32 k4 s2 → ReLU → conv 32 k4 s2 → ReLU → conv 64 k2 s2 → ReLU → conv 64 k2 s2 → ReLU → flatten →
/// linear 256 → ReLU → linear z → batch norm without scale/offset. A (N, 3, 64, 64) batch gives 64×4×4 = 1024 features
/// before the first linear layer and (N, z) at the output; an (N, C, H, W) batch gives 64·⌈H/16⌉·⌈W/16⌉.</remarks>
public sealed class ConvEncoder : Module
{
    private readonly Conv2d[] convolutions;
    private readonly Linear fc1, fc2;
    private readonly BatchNorm1d norm;

    /// <summary>Creates the encoder for <paramref name="imageSize"/>² images with <paramref name="channels"/> channels.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public ConvEncoder(int zDim, Random random, int channels = 3, int imageSize = 64, float batchNormMomentum = 0.1f)
        : this(zDim, random, channels, imageSize, imageSize, batchNormMomentum) { }

    /// <summary>Creates the encoder for <paramref name="height"/> × <paramref name="width"/> images with <paramref name="channels"/> channels.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public ConvEncoder(int zDim, Random random, int channels, int height, int width, float batchNormMomentum = 0.1f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(zDim);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ZDim = zDim;
        Channels = channels;
        Height = height;
        Width = width;
        convolutions =
        [
            RegisterModule("conv1", new Conv2d(channels, 32, 4, random, 2, ConvPadding.Same)),
            RegisterModule("conv2", new Conv2d(32, 32, 4, random, 2, ConvPadding.Same)),
            RegisterModule("conv3", new Conv2d(32, 64, 2, random, 2, ConvPadding.Same)),
            RegisterModule("conv4", new Conv2d(64, 64, 2, random, 2, ConvPadding.Same)),
        ];
        int rows = height, columns = width;
        for (int i = 0; i < 4; i++) (rows, columns) = ((rows + 1) / 2, (columns + 1) / 2);   // SAME with stride 2: ⌈side/2⌉
        FlatFeatures = 64 * rows * columns;
        fc1 = RegisterModule("fc1", new Linear(FlatFeatures, 256, random));
        fc2 = RegisterModule("fc2", new Linear(256, zDim, random));
        norm = RegisterModule("bn", new BatchNorm1d(zDim, affine: false, momentum: batchNormMomentum));
    }

    /// <summary>Output dimension z.</summary>
    public int ZDim { get; }

    /// <summary>Input channels.</summary>
    public int Channels { get; }

    /// <summary>Input height in pixels.</summary>
    public int Height { get; }

    /// <summary>Input width in pixels.</summary>
    public int Width { get; }

    /// <summary>Features entering the first linear layer (1024 for 64×64 images).</summary>
    public int FlatFeatures { get; }

    /// <summary>(N, C, H, W) images → (N, z) normalised features.</summary>
    /// <exception cref="ArgumentException">The input shape is not (N, Channels, Height, Width).</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[1] != Channels || input.Shape[2] != Height || input.Shape[3] != Width)
            throw new ArgumentException($"ConvEncoder: input {Tensor.Format(input.Shape)} must be (N, {Channels}, {Height}, {Width}).", nameof(input));
        var h = Conv2d.ForwardReluChain(input, convolutions);   // four conv + ReLU as one op, in oneDNN's layouts between them
        h = fc1.Forward(h.Flatten()).Relu();
        return norm.Forward(fc2.Forward(h));
    }
}
