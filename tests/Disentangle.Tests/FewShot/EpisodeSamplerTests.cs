using Disentangle.FewShot;

namespace Disentangle.Tests.FewShot;

public sealed class EpisodeSamplerTests
{
    /// <summary>Pixel value = (class·1000 + image) encoded over the channels, so tests can tell which image was copied.</summary>
    internal static InMemoryFewShotDataset Tagged(int trainClasses = 6, int imagesPerClass = 30, int size = 4)
    {
        byte[][] Classes(int count, int offset) => [.. Enumerable.Range(0, count).Select(c =>
            Enumerable.Range(0, imagesPerClass).SelectMany(i => Enumerable.Range(0, size * size).Select(k => (byte)(k == 0 ? offset + c : k == 1 ? i : 0))).ToArray())];
        return new InMemoryFewShotDataset("tagged", 1, size, new Dictionary<FewShotSplit, byte[][]>
        {
            [FewShotSplit.Train] = Classes(trainClasses, 0),
            [FewShotSplit.Validation] = Classes(3, 100),
            [FewShotSplit.Test] = Classes(5, 200),
        });
    }

    private static (int Class, int Image) Tag(float[] images, int row, int length) =>
        ((int)Math.Round(images[row * length] * 255), (int)Math.Round(images[row * length + 1] * 255));

    [Fact]
    public void An_episode_has_distinct_classes_distinct_images_and_matching_labels()
    {
        var sampler = new EpisodeSampler(Tagged(), FewShotSplit.Train, new EpisodeOptions(Ways: 4, Shots: 3, Queries: 5), seed: 3);
        var episode = sampler.Sample(7);
        Assert.Equal(4, episode.Classes.Distinct().Count());
        var seen = new HashSet<(int, int)>();
        for (int row = 0; row < 12; row++)
        {
            var (c, i) = Tag(episode.Support, row, 16);
            Assert.Equal(episode.Classes[episode.SupportLabels[row]], c);
            Assert.True(seen.Add((c, i)));
        }
        for (int row = 0; row < 20; row++)
        {
            var (c, i) = Tag(episode.Query, row, 16);
            Assert.Equal(episode.Classes[episode.QueryLabels[row]], c);
            Assert.True(seen.Add((c, i)), "a query image is also a support image or repeated");
        }
        Assert.Equal([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3], episode.SupportLabels);
    }

    [Fact]
    public void Episodes_depend_only_on_seed_and_index()
    {
        var options = new EpisodeOptions(Ways: 3, Shots: 2, Queries: 2);
        var augmentation = new AugmentationOptions(CropPadding: 1);
        var a = new EpisodeSampler(Tagged(), FewShotSplit.Train, options, 11, augmentation);
        var b = new EpisodeSampler(Tagged(), FewShotSplit.Train, options, 11, augmentation);
        var batch = a.SampleBatch(5, 4);
        Assert.Equal(b.Sample(7).Support, batch.Episodes[2].Support);
        Assert.Equal(b.Sample(7).Query, batch.Episodes[2].Query);
        Assert.Equal(a.Sample(5).Support, batch.Support.Data[..(6 * 16)]);
        Assert.NotEqual(a.Sample(5).Classes.Concat(a.Sample(5).Support.Select(v => (int)(v * 255))), a.Sample(6).Classes.Concat(a.Sample(6).Support.Select(v => (int)(v * 255))));
        var other = new EpisodeSampler(Tagged(), FewShotSplit.Train, options, 12, augmentation);
        Assert.NotEqual(a.Sample(5).Support, other.Sample(5).Support);
    }

    [Fact]
    public void A_batch_stacks_episodes_task_major_with_the_expected_shapes()
    {
        var batch = new EpisodeSampler(Tagged(), FewShotSplit.Test, new EpisodeOptions(5, 2, 3), 1).SampleBatch(0, 3);
        Assert.Equal([30, 1, 4, 4], batch.Support.Shape);
        Assert.Equal([45, 1, 4, 4], batch.Query.Shape);
        Assert.Equal(3, batch.SupportLabels.Length);
        Assert.Equal(batch.Episodes[1].QueryLabels, batch.QueryLabels[15..30]);
    }

    [Fact]
    public void Classes_are_drawn_uniformly()
    {
        var sampler = new EpisodeSampler(Tagged(), FewShotSplit.Train, new EpisodeOptions(2, 1, 1), 5);
        var counts = new int[6];
        for (int e = 0; e < 3000; e++) foreach (int c in sampler.Sample(e).Classes) counts[c]++;
        Assert.All(counts, n => Assert.InRange(n, 1000 - 120, 1000 + 120));   // 6000 draws / 6 classes, ±4σ
    }

    [Fact]
    public void Too_many_ways_or_shots_are_rejected_with_the_available_counts()
    {
        var ways = Assert.Throws<ArgumentException>(() => new EpisodeSampler(Tagged(), FewShotSplit.Validation, new EpisodeOptions(5, 1, 1), 0));
        Assert.Contains("has 3", ways.Message);
        var shots = Assert.Throws<ArgumentException>(() => new EpisodeSampler(Tagged(imagesPerClass: 10), FewShotSplit.Train, new EpisodeOptions(5, 5, 6), 0));
        Assert.Contains("need 11", shots.Message);
        Assert.Contains("has 10", shots.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EpisodeSampler(Tagged(), FewShotSplit.Train, new EpisodeOptions(1, 1, 1), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EpisodeSampler(Tagged(), FewShotSplit.Train, new EpisodeOptions(2, 1, 1), 0, new AugmentationOptions(-1)));
    }

    [Fact]
    public void Crop_shifts_the_image_with_zero_fill_and_flip_mirrors_rows()
    {
        var image = Enumerable.Range(1, 2 * 4 * 4).Select(v => (float)v).ToArray();
        var original = (float[])image.Clone();
        var scratch = new float[image.Length];
        for (int seed = 0; seed < 40; seed++)
        {
            var copy = (float[])original.Clone();
            ImageAugmentation.Apply(copy, 2, 4, new AugmentationOptions(CropPadding: 1, HorizontalFlip: false), new Random(seed), scratch);
            // The crop is a translation by (dy, dx) ∈ {−1, 0, 1}²: find it and check every pixel.
            bool matched = false;
            for (int dy = -1; dy <= 1 && !matched; dy++)
                for (int dx = -1; dx <= 1 && !matched; dx++)
                {
                    bool all = true;
                    for (int c = 0; c < 2; c++)
                        for (int y = 0; y < 4; y++)
                            for (int x = 0; x < 4; x++)
                            {
                                int sy = y + dy, sx = x + dx;
                                float expected = sy is >= 0 and < 4 && sx is >= 0 and < 4 ? original[(c * 4 + sy) * 4 + sx] : 0f;
                                all &= copy[(c * 4 + y) * 4 + x] == expected;
                            }
                    matched = all;
                }
            Assert.True(matched, $"seed {seed}: not a translation by at most one pixel");
        }
        int flips = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            var copy = (float[])original.Clone();
            ImageAugmentation.Apply(copy, 2, 4, new AugmentationOptions(CropPadding: 0), new Random(seed), scratch);
            if (copy.SequenceEqual(original)) continue;
            flips++;
            Assert.Equal(original[3], copy[0]);
            Assert.Equal(original[16 + 4], copy[16 + 7]);
        }
        Assert.InRange(flips, 8, 32);
    }
}
