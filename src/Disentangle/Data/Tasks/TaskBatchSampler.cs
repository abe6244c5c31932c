using Disentangle.Data.Latents;
using Disentangle.Tensors;

namespace Disentangle.Data.Tasks;

/// <summary>Draws batches of regression tasks (method.md §4) on 3D Shapes or a user's data set (docs/own-data.md): latents
/// from a distribution over the samples (plus fixed latent noise), their images, sparse coefficients, and noisy targets.</summary>
/// <remarks>
/// Per task t: grid indices i ~ P_z, latents z = standardise(grid value + noise offset), W ~ the coefficient sampler, and
/// <c>Y = ZW + σ (‖ZW‖/‖ε‖) ε</c> column by column with ε ~ N(0, I) over the task's n samples (noise scaled to the signal).
/// Images: each grid point keeps its image and only its latent moves (the paper's setting, Appendix D.2), unless
/// <see cref="TaskBatchOptions.NoisyImages"/> asks a source that renders off the grid (the embedded renderer) to draw the
/// perturbed latents themselves; the HDF5 file holds grid images only. Batch i uses <c>new Random(hash(Seed, i))</c> and nothing else, so it is the same whenever it is drawn.
/// </remarks>
public sealed class TaskBatchSampler
{
    private readonly IImageDataset _source;
    private readonly LatentNoise _noise;

    /// <summary>Creates a sampler over <paramref name="source"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count below its minimum, a negative or non-finite σ, or s outside [0, 1].</exception>
    /// <exception cref="ArgumentException">The distribution is defined on a different grid than the source.</exception>
    public TaskBatchSampler(IImageDataset source, TaskBatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var distribution = options.Distribution ?? new UniformLatents(source.Factors);
        if (!ReferenceEquals(distribution.Factors, source.Factors) && !SameGrid(distribution.Factors, source.Factors))
            throw new ArgumentException($"The distribution {distribution.Name} is over other samples ({distribution.Factors.Count} of {distribution.Factors.Dimension} "
                + $"factors{Sizes(distribution.Factors)}) than the source's ({source.Factors.Count} of {source.Factors.Dimension}{Sizes(source.Factors)}).", nameof(options));
        if (options.NoisyImages == LatentNoiseImages.PerturbedLatent && source is not IShapesSource)
            throw new ArgumentException("LatentNoiseImages perturbed-latent renders 3D Shapes at the perturbed latents; a data file holds its images "
                + "only: use grid-point.", "LatentNoiseImages");   // the flag --latent-noise-images
        _source = source;
        _noise = new LatentNoise(source.Factors, options.LatentNoiseScale, options.LatentNoiseSeed);
        Options = options with { Distribution = distribution, Coefficients = options.Coefficients ?? new BinomialGauss() };
    }

    /// <summary>The options, with the defaults filled in.</summary>
    public TaskBatchOptions Options { get; }

    /// <summary>Draws batch <paramref name="index"/> of the stream (deterministic in (Seed, index)); its images come from
    /// <paramref name="images"/> when it keeps them, and are offered to it otherwise.</summary>
    public TaskBatch Sample(long index, BatchImages? images = null)
    {
        var o = Options;
        int n = o.SamplesPerTask, k = o.Outputs, m = _source.Factors.Dimension, total = o.Tasks * n;
        var random = new Random(BatchSeed(o.Seed, index));
        var indices = new int[total];
        var latents = new double[total * m];
        var raw = new double[total * m];
        var coefficients = new double[o.Tasks * m * k];
        var targets = new double[total * k];
        for (int t = 0; t < o.Tasks; t++)
        {
            var taskIndices = indices.AsSpan(t * n, n);
            o.Distribution!.Sample(random, taskIndices);
            for (int s = 0; s < n; s++)
            {
                int row = t * n + s;
                _noise.RawValues(indices[row], raw.AsSpan(row * m, m));
                for (int f = 0; f < m; f++) latents[row * m + f] = _source.Factors.Standardise(f, raw[row * m + f]);
            }
            var w = coefficients.AsSpan(t * m * k, m * k);
            o.Coefficients!.Sample(random, m, k, w);
            Targets(random, latents.AsSpan(t * n * m, n * m), w, n, m, k, o.NoiseScale, targets.AsSpan(t * n * k, n * k));
        }
        if (!o.RenderImages)
            return new TaskBatch(index, o.Tasks, n, o.InnerShots, k, Tensor.Zeros([total, 0]), latents, coefficients, targets, indices);
        var bytes = images?.Find(index);
        if (bytes is null)
        {
            bytes = new byte[(long)total * _source.Shape.Bytes];
            if (_source is IShapesSource { RendersOffGrid: true } renderer && _noise.Scale > 0 && o.NoisyImages == LatentNoiseImages.PerturbedLatent)
                renderer.Render(raw, bytes);
            else _source.ReadImages(indices, bytes);
            images?.Keep(index, bytes);
        }
        return new TaskBatch(index, o.Tasks, n, o.InnerShots, k, _source.Shape.ToTensor(bytes), latents, coefficients, targets, indices);
    }

    // Y = ZW + σ (‖ZW‖/‖ε‖) ε per output column, norms over the task's n samples.
    private static void Targets(Random random, ReadOnlySpan<double> z, ReadOnlySpan<double> w, int n, int m, int k, double sigma, Span<double> y)
    {
        Span<double> epsilon = stackalloc double[n];
        for (int c = 0; c < k; c++)
        {
            double signal = 0, noise = 0;
            for (int s = 0; s < n; s++)
            {
                double v = 0;
                for (int f = 0; f < m; f++) v += z[s * m + f] * w[f * k + c];
                y[s * k + c] = v;
                signal += v * v;
                epsilon[s] = random.NextGaussian();
                noise += epsilon[s] * epsilon[s];
            }
            double factor = noise > 0 ? sigma * Math.Sqrt(signal / noise) : 0;
            for (int s = 0; s < n; s++) y[s * k + c] += factor * epsilon[s];
        }
    }

    private static bool SameGrid(FactorSet a, FactorSet b) =>
        a is ShapesFactors x && b is ShapesFactors y && x.Sizes.SequenceEqual(y.Sizes);

    private static string Sizes(FactorSet factors) => factors is ShapesFactors grid ? $", grid sizes ({string.Join(", ", grid.Sizes)})" : "";

    private static int BatchSeed(int seed, long index)
    {
        ulong x = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)index;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return (int)((x ^ (x >> 31)) & int.MaxValue);
    }
}
