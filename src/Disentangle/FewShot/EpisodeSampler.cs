using Disentangle.Tensors;

namespace Disentangle.FewShot;

/// <summary>Draws N-way K-shot episodes with query sets from one split of a <see cref="IFewShotDataset"/>;
/// episode i depends only on (seed, i), whatever the order or threads of the calls.</summary>
/// <remarks>Per episode: N distinct classes uniformly, then per class K + queries distinct images uniformly (Floyd's
/// algorithm); the first K are the support, the rest the queries. With <see cref="AugmentationOptions"/>, every
/// support and query image is randomly cropped and flipped (training only).</remarks>
public sealed class EpisodeSampler
{
    private readonly SeededRandom _root;

    /// <summary>Creates the sampler and checks that the split can supply such episodes.</summary>
    /// <param name="dataset">The benchmark.</param>
    /// <param name="split">Which class split to draw from.</param>
    /// <param name="options">N, K and queries per class.</param>
    /// <param name="seed">Seed of every draw.</param>
    /// <param name="augmentation">Training augmentation, or null for none.</param>
    /// <exception cref="ArgumentException">The split has fewer than N classes, or a class has fewer than K + queries
    /// images (the message gives the counts).</exception>
    public EpisodeSampler(IFewShotDataset dataset, FewShotSplit split, EpisodeOptions options, long seed, AugmentationOptions? augmentation = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        augmentation?.Validate();
        int classes = dataset.ClassCount(split);
        if (options.Ways > classes)
            throw new ArgumentException($"{options.Ways}-way episodes need {options.Ways} classes but the {split} split of {dataset.Name} has {classes}.", nameof(options));
        int needed = options.Shots + options.Queries;
        for (int c = 0; c < classes; c++)
        {
            int images = dataset.ImageCount(split, c);
            if (images < needed)
                throw new ArgumentException($"{options.Shots} shots + {options.Queries} queries need {needed} images per class but class {c} " +
                    $"of the {split} split of {dataset.Name} has {images}.", nameof(options));
        }
        Dataset = dataset;
        Split = split;
        Options = options;
        Augmentation = augmentation;
        _root = new SeededRandom(seed);
    }

    /// <summary>The benchmark.</summary>
    public IFewShotDataset Dataset { get; }

    /// <summary>The split episodes are drawn from.</summary>
    public FewShotSplit Split { get; }

    /// <summary>N, K and queries.</summary>
    public EpisodeOptions Options { get; }

    /// <summary>The augmentation applied, or null.</summary>
    public AugmentationOptions? Augmentation { get; }

    /// <summary>Episode number <paramref name="episodeIndex"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is negative.</exception>
    public Episode Sample(long episodeIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(episodeIndex);
        var random = _root.Fork(episodeIndex);
        int ways = Options.Ways, shots = Options.Shots, queries = Options.Queries;
        int imageLength = Dataset.Channels * Dataset.ImageSize * Dataset.ImageSize;
        var classes = Distinct(random, Dataset.ClassCount(Split), ways);
        var support = new float[ways * shots * imageLength];
        var query = new float[ways * queries * imageLength];
        var supportLabels = new int[ways * shots];
        var queryLabels = new int[ways * queries];
        var scratch = new float[imageLength];
        for (int label = 0; label < ways; label++)
        {
            var images = Distinct(random, Dataset.ImageCount(Split, classes[label]), shots + queries);
            for (int k = 0; k < images.Length; k++)
            {
                bool isSupport = k < shots;
                int row = isSupport ? label * shots + k : label * queries + k - shots;
                var destination = (isSupport ? support : query).AsSpan(row * imageLength, imageLength);
                Dataset.CopyImage(Split, classes[label], images[k], destination);
                if (Augmentation is { } augmentation)
                    ImageAugmentation.Apply(destination, Dataset.Channels, Dataset.ImageSize, augmentation, random, scratch);
                (isSupport ? supportLabels : queryLabels)[row] = label;
            }
        }
        return new Episode(support, supportLabels, query, queryLabels, classes);
    }

    /// <summary>Episodes <paramref name="firstEpisode"/> … <paramref name="firstEpisode"/> + <paramref name="count"/> − 1
    /// (drawn in parallel) stacked task-major.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative index or a count below 1.</exception>
    public EpisodeBatch SampleBatch(long firstEpisode, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstEpisode);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var episodes = new Episode[count];
        Parallel.For(0, count, Parallelism.Options, t => episodes[t] = Sample(firstEpisode + t));
        int c = Dataset.Channels, s = Dataset.ImageSize;
        var support = new Tensor([.. episodes.SelectMany(e => e.Support)], [count * Options.SupportSize, c, s, s]);
        var query = new Tensor([.. episodes.SelectMany(e => e.Query)], [count * Options.QuerySize, c, s, s]);
        return new EpisodeBatch(support, [.. episodes.Select(e => e.SupportLabels)], query, [.. episodes.SelectMany(e => e.QueryLabels)], episodes);
    }

    /// <summary>k distinct integers of [0, n) in random order (Floyd's algorithm, then a shuffle).</summary>
    private static int[] Distinct(Random random, int n, int k)
    {
        var chosen = new HashSet<int>();
        var result = new int[k];
        int m = 0;
        for (int j = n - k; j < n; j++)
        {
            int t = random.Next(j + 1);
            int pick = chosen.Contains(t) ? j : t;   // Floyd: t if new, else j (never drawn before)
            chosen.Add(pick);
            result[m++] = pick;
        }
        random.Shuffle(result);
        return result;
    }
}
