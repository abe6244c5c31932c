using Disentangle.Tensors;

namespace Disentangle.Nn;

/// <summary>DropBlock (Ghiasi et al. 2018) as in MetaOptNet: drops whole block×block squares of each feature map.</summary>
/// <remarks>In training, block seeds are Bernoulli(γ) on the (H − b + 1)×(W − b + 1) grid of each (sample, channel); each
/// seed at (i, j) zeroes rows i…i+b−1 and columns j…j+b−1; the kept values are scaled by (#values / #kept). Identity in
/// evaluation. γ is passed per call (see <see cref="ResNetBlock"/> for MetaOptNet's schedule).</remarks>
public sealed class DropBlock
{
    private readonly Random random;

    /// <summary>Creates the regulariser with block side <paramref name="blockSize"/>; seeds come from <paramref name="random"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The block size is not positive.</exception>
    public DropBlock(int blockSize, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        ArgumentNullException.ThrowIfNull(random);
        BlockSize = blockSize;
        this.random = random;
    }

    /// <summary>Block side b.</summary>
    public int BlockSize { get; }

    /// <summary>Applies a freshly drawn block mask with seed probability <paramref name="gamma"/> to (N, C, H, W) maps.</summary>
    /// <exception cref="ArgumentException">The input is not rank 4 or is smaller than the block.</exception>
    public Tensor Apply(Tensor input, double gamma)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[2] < BlockSize || input.Shape[3] < BlockSize)
            throw new ArgumentException($"DropBlock: input {Tensor.Format(input.Shape)} must be (N, C, H, W) with H, W ≥ block size {BlockSize}.", nameof(input));
        int planes = input.Shape[0] * input.Shape[1], h = input.Shape[2], w = input.Shape[3];
        int mh = h - BlockSize + 1, mw = w - BlockSize + 1;
        var mask = new float[input.Length];
        Array.Fill(mask, 1f);
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < mh; i++)
                for (int j = 0; j < mw; j++)
                {
                    if (random.NextDouble() >= gamma) continue;
                    for (int u = i; u < i + BlockSize; u++) Array.Clear(mask, p * h * w + u * w + j, BlockSize);
                }
        double kept = 0;
        foreach (float m in mask) kept += m;
        float scale = kept > 0 ? (float)(mask.Length / kept) : 0f;
        System.Numerics.Tensors.TensorPrimitives.Multiply(mask, scale, mask);
        return input.Mul(new Tensor(mask, input.Shape));                 // y = x ⊙ m·scale, ∂x = dy ⊙ m·scale
    }
}
