using Disentangle.Nn;
using Disentangle.Tensors;

namespace Disentangle.Tests.Nn;

public sealed class ConvEncoderTrainingTests
{
    /// <summary>16 random images and standardised targets that are fixed linear functions of per-quadrant colour means.</summary>
    private static (Tensor Images, Tensor Targets) Synthetic(int zDim)
    {
        var random = new Random(2023);
        const int n = 16;
        var images = Tensor.Uniform([n, 3, 64, 64], random, 0f, 1f);
        var coefficients = Tensor.RandN([12, zDim], random);
        var targets = new float[n * zDim];
        for (int i = 0; i < n; i++)
        {
            var features = new double[12];
            for (int c = 0; c < 3; c++) for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++)
                features[c * 4 + (y / 32) * 2 + x / 32] += images.Data[((i * 3 + c) * 64 + y) * 64 + x] / 1024.0;
            for (int j = 0; j < zDim; j++)
                targets[i * zDim + j] = (float)Enumerable.Range(0, 12).Sum(f => (features[f] - 0.5) * 20 * coefficients.Data[f * zDim + j]);
        }
        for (int j = 0; j < zDim; j++)   // standardise each target column (the encoder ends in batch norm)
        {
            var col = Enumerable.Range(0, n).Select(i => (double)targets[i * zDim + j]).ToArray();
            double mean = col.Average(), sd = Math.Sqrt(col.Average(v => (v - mean) * (v - mean)));
            for (int i = 0; i < n; i++) targets[i * zDim + j] = (float)((targets[i * zDim + j] - mean) / sd);
        }
        return (images, new Tensor(targets, [n, zDim]));
    }

    /// <summary>Plain gradient descent written inline (the optimisers live in Optim/); returns the loss per step.</summary>
    private static (List<float> Losses, float[] Parameters) Train(int seed, int steps, float learningRate)
    {
        var (images, targets) = Synthetic(4);
        var encoder = new ConvEncoder(4, new Random(seed));
        var losses = new List<float>();
        for (int step = 0; step < steps; step++)
        {
            encoder.ZeroGrad();
            var loss = encoder.Forward(images).MseLoss(targets);
            loss.Backward();
            losses.Add(loss.Item());
            foreach (var p in encoder.Parameters())
                for (int i = 0; i < p.Length; i++) p.Data[i] -= learningRate * p.Grad![i];   // θ ← θ − η ∇θ
        }
        return (losses, encoder.Parameters().SelectMany(p => p.Data).ToArray());
    }

    [Fact]
    public void Gradient_descent_on_a_synthetic_regression_lowers_the_loss()
    {
        var (losses, _) = Train(seed: 7, steps: 12, learningRate: 0.05f);
        Assert.True(losses[^1] < 0.7f * losses[0], $"loss went from {losses[0]} to {losses[^1]}: [{string.Join(", ", losses)}]");
    }

    [Fact]
    public void Same_seed_gives_bitwise_identical_parameters_after_training()
    {
        var (lossesA, a) = Train(seed: 8, steps: 3, learningRate: 0.05f);
        var (lossesB, b) = Train(seed: 8, steps: 3, learningRate: 0.05f);
        Assert.Equal(lossesA, lossesB);
        Assert.Equal(a, b);
    }
}
