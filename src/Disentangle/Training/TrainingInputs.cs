using Disentangle.Data;
using Disentangle.Data.Tasks;
using Disentangle.Nn;
using Disentangle.Tensors;

namespace Disentangle.Training;

/// <summary>What the encoder sees for given latents, and the encoder that fits it (a strategy per <see cref="InputKind"/>).</summary>
public abstract class TrainingInputs
{
    /// <summary>Whether the task sampler must render images for this input model.</summary>
    public abstract bool NeedsImages { get; }

    /// <summary>The encoder inputs of a training batch.</summary>
    public abstract Tensor Of(TaskBatch batch);

    /// <summary>The encoder inputs of samples (grid points) with the given raw factor values and standardised latents (rows of d).</summary>
    /// <remarks>Images are those of the grid points unless the input model renders the (noisy) raw values themselves.</remarks>
    public abstract Tensor Of(int[] gridIndices, double[] rawValues, double[] standardisedLatents);

    /// <summary>A freshly initialised encoder ending with batch normalisation without scale/offset (Section 3.4).</summary>
    public abstract Module CreateEncoder(int zDim, Random random);

    /// <summary>The input model of the options: images of <paramref name="source"/>, or x = A z with A drawn from the seed.</summary>
    public static TrainingInputs Create(TrainOptions options, IImageDataset source) => options.Inputs switch
    {
        InputKind.Images => new ImageInputs(source, options.LatentNoiseImages),
        _ => new LinearInputs(Matrix.RandomNormal(options.LinearDimension, source.Factors.Dimension, new SeededRandom(options.Seed).Fork(7_000))),
    };
}

/// <summary>Images of a data set (3D Shapes or a user's file) and the reference ConvEncoder sized to them.</summary>
/// <param name="source">The images.</param>
/// <param name="noisyImages">Show the grid point's image (default) or render the noisy raw values (embedded renderer only).</param>
public sealed class ImageInputs(IImageDataset source, LatentNoiseImages noisyImages = LatentNoiseImages.GridPoint) : TrainingInputs
{
    /// <inheritdoc/>
    public override bool NeedsImages => true;

    /// <inheritdoc/>
    public override Tensor Of(TaskBatch batch) => batch.Images;

    /// <inheritdoc/>
    public override Tensor Of(int[] gridIndices, double[] rawValues, double[] standardisedLatents)
    {
        var bytes = new byte[(long)gridIndices.Length * source.Shape.Bytes];
        if (source is IShapesSource { RendersOffGrid: true } renderer && noisyImages == LatentNoiseImages.PerturbedLatent) renderer.Render(rawValues, bytes);
        else source.ReadImages(gridIndices, bytes);
        return source.Shape.ToTensor(bytes);
    }

    /// <inheritdoc/>
    public override Module CreateEncoder(int zDim, Random random) =>
        new ConvEncoder(zDim, random, source.Shape.Channels, source.Shape.Height, source.Shape.Width);
}

/// <summary>A linear ground truth x = A z (A of shape D × d) and an MLP encoder D → 64 → 64 → z_dim → BatchNorm.</summary>
public sealed class LinearInputs(Matrix mixing) : TrainingInputs
{
    /// <summary>The mixing matrix A, shape (D, d).</summary>
    public Matrix Mixing { get; } = mixing;

    /// <inheritdoc/>
    public override bool NeedsImages => false;

    /// <inheritdoc/>
    public override Tensor Of(TaskBatch batch) => Mix(batch.Latents);

    /// <inheritdoc/>
    public override Tensor Of(int[] gridIndices, double[] rawValues, double[] standardisedLatents) => Mix(standardisedLatents);

    /// <inheritdoc/>
    public override Module CreateEncoder(int zDim, Random random) =>
        new Sequential(new Mlp([Mixing.Rows, 64, 64, zDim], random), new BatchNorm1d(zDim, affine: false));

    private Tensor Mix(double[] latents)
    {
        int rows = latents.Length / Mixing.Columns;
        var x = Matrix.Multiply(new Matrix(rows, Mixing.Columns, latents), Mixing, transposeB: true);   // X = Z Aᵀ
        return new Tensor(Array.ConvertAll(x.Data, v => (float)v), [rows, Mixing.Rows]);
    }
}
