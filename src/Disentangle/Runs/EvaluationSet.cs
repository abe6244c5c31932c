using Disentangle.Data;
using Disentangle.Data.Latents;
using Disentangle.Nn;
using Disentangle.Tensors;
using Disentangle.Training;

namespace Disentangle.Runs;

/// <summary>A fixed set of samples (grid points for 3D Shapes, with their fixed latent noise) on which learned features are
/// compared to the true latents.</summary>
/// <param name="GridIndices">Sample (grid) index of each sample.</param>
/// <param name="Latents">Standardised true latents, shape (N, d).</param>
/// <param name="Inputs">Encoder inputs of the samples.</param>
public sealed record EvaluationSet(int[] GridIndices, Matrix Latents, Tensor Inputs)
{
    /// <summary>Draws <paramref name="count"/> grid points from <paramref name="distribution"/> (the reference evaluates on the
    /// uniform grid) and builds their inputs.</summary>
    public static EvaluationSet Draw(ILatentDistribution distribution, LatentNoise noise, TrainingInputs inputs, int count, Random random)
    {
        var indices = new int[count];
        distribution.Sample(random, indices);
        int m = noise.Factors.Dimension;
        var raw = new double[count * m];
        var latents = new double[count * m];
        for (int i = 0; i < count; i++)
        {
            noise.RawValues(indices[i], raw.AsSpan(i * m, m));
            for (int f = 0; f < m; f++) latents[i * m + f] = noise.Factors.Standardise(f, raw[i * m + f]);
        }
        return new EvaluationSet(indices, new Matrix(count, m, latents), inputs.Of(indices, raw, latents));
    }

    /// <summary>The encoder's features of every sample (evaluation mode, no graph), shape (N, z_dim), in float64.</summary>
    public Matrix Features(Module encoder, int batchSize = 500)
    {
        bool wasTraining = encoder.Training;
        encoder.Eval();
        try
        {
            using var _ = new NoGrad();
            int n = GridIndices.Length;
            Matrix? features = null;
            for (int start = 0; start < n; start += batchSize)
            {
                int count = Math.Min(batchSize, n - start);
                var chunk = encoder.Forward(Inputs.Slice(0, start, count));
                features ??= new Matrix(n, chunk.Shape[1]);
                for (int i = 0; i < chunk.Length; i++) features.Data[start * features.Columns + i] = chunk.Data[i];
            }
            return features!;
        }
        finally { encoder.Train(wasTraining); }
    }
}
