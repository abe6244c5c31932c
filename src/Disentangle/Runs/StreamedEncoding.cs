using Disentangle.Data;
using Disentangle.Data.Latents;
using Disentangle.Nn;
using Disentangle.Tensors;
using Disentangle.Training;

namespace Disentangle.Runs;

/// <summary>Encodes any number of grid points in bounded memory: inputs are built and encoded a chunk at a time and only the
/// (N, z_dim) features and (N, d) latents are kept (480,000 grid points: 23 MB each for z_dim 6, never the 23 GB of images).</summary>
public static class StreamedEncoding
{
    /// <summary>Grid points encoded per chunk.</summary>
    public const int ChunkRows = 500;

    /// <summary>The standardised noisy latents and the encoder's features (evaluation mode, no graph, float64) of
    /// <paramref name="gridIndices"/>, reporting the number of points encoded so far (plus <paramref name="progressOffset"/>).</summary>
    public static (Matrix Latents, Matrix Features) Encode(int[] gridIndices, LatentNoise noise, TrainingInputs inputs, Module encoder,
        IProgress<int>? progress = null, int progressOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(gridIndices);
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(encoder);
        int n = gridIndices.Length, m = noise.Factors.Dimension;
        var latents = new Matrix(n, m);
        Matrix? features = null;
        bool wasTraining = encoder.Training;
        encoder.Eval();
        try
        {
            using var _ = new NoGrad();
            for (int start = 0; start < n; start += ChunkRows)
            {
                int count = Math.Min(ChunkRows, n - start);
                var indices = gridIndices.AsSpan(start, count).ToArray();
                var raw = new double[count * m];
                var standardised = new double[count * m];
                for (int i = 0; i < count; i++)
                {
                    noise.RawValues(indices[i], raw.AsSpan(i * m, m));
                    for (int f = 0; f < m; f++) standardised[i * m + f] = noise.Factors.Standardise(f, raw[i * m + f]);
                }
                standardised.CopyTo(latents.Data, start * m);
                var chunk = encoder.Forward(inputs.Of(indices, raw, standardised));
                features ??= new Matrix(n, chunk.Shape[1]);
                for (int i = 0; i < chunk.Length; i++) features.Data[start * features.Columns + i] = chunk.Data[i];
                progress?.Report(progressOffset + start + count);
            }
        }
        finally { encoder.Train(wasTraining); }
        return (latents, features ?? new Matrix(0, 0));
    }
}
