using Disentangle.Data;
using Disentangle.Data.Latents;
using Disentangle.Data.Rendering;
using Disentangle.Data.Tasks;

namespace Disentangle.Tests.Data.Tasks;

public sealed class TaskBatchTests
{
    private static readonly RenderedShapes Source = new();

    private static TaskBatchSampler Sampler(TaskBatchOptions? options = null) =>
        new(Source, options ?? new TaskBatchOptions(Tasks: 3, InnerShots: 5, OuterShots: 4, Seed: 12));

    [Fact]
    public void A_batch_has_the_documented_shapes()
    {
        var batch = Sampler(new TaskBatchOptions(Tasks: 3, InnerShots: 5, OuterShots: 4, Outputs: 2, Seed: 1)).Sample(0);
        Assert.Equal([27, 3, 64, 64], batch.Images.Shape);
        Assert.Equal(27 * 6, batch.Latents.Length);
        Assert.Equal(3 * 6 * 2, batch.Coefficients.Length);
        Assert.Equal(27 * 2, batch.Targets.Length);
        Assert.Equal(27, batch.Indices.Length);
        Assert.Equal((9, 2), (batch.TaskTargets(2).Rows, batch.TaskTargets(2).Columns));
        Assert.Equal((6, 2), (batch.TaskCoefficients(1).Rows, batch.TaskCoefficients(1).Columns));
        Assert.All(batch.Images.Data, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Batch_i_depends_only_on_the_seed_and_i()
    {
        var a = Sampler().Sample(5);
        var b = Sampler().Sample(5);
        Assert.Equal(a.Indices, b.Indices);
        Assert.Equal(a.Targets, b.Targets);
        Assert.Equal(a.Images.Data, b.Images.Data);
        Assert.NotEqual(a.Indices, Sampler().Sample(6).Indices);
        Assert.NotEqual(a.Indices, Sampler(new TaskBatchOptions(Tasks: 3, InnerShots: 5, OuterShots: 4, Seed: 13)).Sample(5).Indices);
    }

    [Fact]
    public void Kept_images_give_the_batch_a_fresh_draw_gives_within_the_budget()
    {
        var sampler = Sampler();
        long batchBytes = 3 * 9 * ShapesImage.Bytes;
        var kept = new BatchImages(2 * batchBytes);
        foreach (long index in new long[] { 4, 5, 6 }) sampler.Sample(index, kept);
        Assert.Equal(2 * batchBytes, kept.Bytes);            // the third batch did not fit
        Assert.NotNull(kept.Find(4));
        Assert.NotNull(kept.Find(5));
        Assert.Null(kept.Find(6));
        var again = sampler.Sample(5, kept);
        var fresh = Sampler().Sample(5);
        Assert.Equal(fresh.Images.Data, again.Images.Data);   // bit for bit
        Assert.Equal(fresh.Targets, again.Targets);
        Assert.Equal(fresh.Indices, again.Indices);
        Assert.Equal(2 * batchBytes, kept.Bytes);
    }

    [Fact]
    public void Images_are_the_rendered_latents_as_float_chw()
    {
        var batch = Sampler().Sample(0);
        var image = Source.Render(new double[6].Also(v => Source.Factors.RawValues(batch.Indices[7], v)));
        for (int p = 0; p < ShapesImage.Pixels; p += 97)
            for (int c = 0; c < 3; c++)
                Assert.Equal(image[3 * p + c] / 255f, batch.Images.Data[7 * ShapesImage.Bytes + c * ShapesImage.Pixels + p], 1e-6f);
        var z = new double[6];
        Source.Factors.StandardisedValues(batch.Indices[7], z);
        Assert.Equal(z, batch.Latents.AsSpan(7 * 6, 6).ToArray());
    }

    [Theory]
    [InlineData(LatentNoiseImages.GridPoint)]
    [InlineData(LatentNoiseImages.PerturbedLatent)]
    public void With_latent_noise_the_latent_moves_and_the_image_is_the_grid_points_unless_asked_otherwise(LatentNoiseImages images)
    {
        var options = new TaskBatchOptions(Tasks: 2, InnerShots: 3, OuterShots: 0, LatentNoiseScale: 1.0, LatentNoiseSeed: 5, Seed: 3, NoisyImages: images);
        var batch = Sampler(options).Sample(0);
        var noise = new LatentNoise(Source.Factors, 1.0, 5);
        var raw = new double[6];
        if (images == LatentNoiseImages.PerturbedLatent) noise.RawValues(batch.Indices[4], raw);
        else Source.Factors.RawValues(batch.Indices[4], raw);
        var image = Source.Render(raw);
        for (int p = 0; p < ShapesImage.Pixels; p++)
            for (int c = 0; c < 3; c++)
                Assert.Equal(image[3 * p + c] / 255f, batch.Images.Data[4 * ShapesImage.Bytes + c * ShapesImage.Pixels + p], 1e-6f);
        var z = new double[6];
        noise.StandardisedValues(batch.Indices[4], z);
        Assert.Equal(z, batch.Latents.AsSpan(4 * 6, 6).ToArray());
        var grid = new double[6];
        Source.Factors.StandardisedValues(batch.Indices[4], grid);
        Assert.NotEqual(grid, z);   // the latent is z(x) + ε(x) either way
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void Targets_are_zw_plus_noise_scaled_to_sigma_times_the_signal(double sigma)
    {
        var batch = Sampler(new TaskBatchOptions(Tasks: 4, InnerShots: 10, OuterShots: 10, Outputs: 2, NoiseScale: sigma, Seed: 2)).Sample(1);
        for (int t = 0; t < 4; t++)
        {
            var signal = Disentangle.Tensors.Matrix.Multiply(batch.TaskLatents(t), batch.TaskCoefficients(t));
            var y = batch.TaskTargets(t);
            for (int c = 0; c < 2; c++)
            {
                double signalNorm = 0, residualNorm = 0;
                for (int s = 0; s < 20; s++)
                {
                    signalNorm += signal[s, c] * signal[s, c];
                    residualNorm += Math.Pow(y[s, c] - signal[s, c], 2);
                }
                Assert.Equal(sigma * Math.Sqrt(signalNorm), Math.Sqrt(residualNorm), 1e-9);
            }
            Assert.NotEmpty(SupportVariability.Support(batch.TaskCoefficients(t).Data, 6, 2));
        }
    }

    [Fact]
    public void The_chosen_coefficient_sampler_is_used_for_every_task()
    {
        var batch = Sampler(new TaskBatchOptions(Tasks: 8, InnerShots: 2, OuterShots: 0, Coefficients: new BlockSupport(3), Seed: 4)).Sample(0);
        for (int t = 0; t < 8; t++)
        {
            var support = SupportVariability.Support(batch.TaskCoefficients(t).Data, 6, 1);
            Assert.True(support.SequenceEqual([0, 1, 2]) || support.SequenceEqual([3, 4, 5]));
        }
    }

    [Fact]
    public void Prefetched_batches_equal_directly_drawn_ones_in_order()
    {
        var sampler = Sampler();
        using var prefetch = new PrefetchingTaskBatches(sampler, firstBatch: 10, capacity: 2);
        for (long i = 10; i < 14; i++)
        {
            var batch = prefetch.Next();
            Assert.Equal(i, batch.Index);
            Assert.Equal(sampler.Sample(i).Targets, batch.Targets);
        }
    }

    [Fact]
    public void A_failing_source_surfaces_from_the_prefetcher()
    {
        using var prefetch = new PrefetchingTaskBatches(new TaskBatchSampler(new FailingSource(), new TaskBatchOptions(Tasks: 1, InnerShots: 1, OuterShots: 0)));
        var e = Assert.Throws<InvalidOperationException>(() => prefetch.Next());
        Assert.Contains("disk on fire", e.Message);
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Sampler(new TaskBatchOptions(Tasks: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sampler(new TaskBatchOptions(InnerShots: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sampler(new TaskBatchOptions(NoiseScale: -1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sampler(new TaskBatchOptions(LatentNoiseScale: 2)));
        var small = new ShapesFactors([[0.0, 0.5], [0.0], [0.0], [1.0], [0.0], [0.0]]);
        var e = Assert.Throws<ArgumentException>(() => Sampler(new TaskBatchOptions(Distribution: new UniformLatents(small))));
        Assert.Contains("sizes", e.Message);
    }

    private sealed class FailingSource : IShapesSource
    {
        public ShapesFactors Factors => ShapesFactors.Shapes3D;
        public int Count => Factors.Count;
        public bool RendersOffGrid => false;
        public void ReadImages(ReadOnlySpan<int> indices, Span<byte> destination) => throw new IOException("disk on fire");
        public void Render(ReadOnlySpan<double> rawValues, Span<byte> destination) => throw new IOException("disk on fire");
    }
}

internal static class TestExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
