namespace Disentangle.Data.Tasks;

/// <summary>The image bytes of task batches that are drawn again and again (the fixed validation tasks), kept up to a
/// byte budget so that their images are rendered or read once per run instead of at every evaluation.</summary>
/// <remarks>A batch is the same whenever it is drawn (<see cref="TaskBatchSampler.Sample(long, BatchImages?)"/>), so a kept
/// batch gives the same bytes as a fresh one; past the budget, batches are drawn as usual. Not thread-safe.</remarks>
/// <param name="budget">Bytes kept at most.</param>
public sealed class BatchImages(long budget)
{
    private readonly Dictionary<long, byte[]> _kept = [];

    /// <summary>Bytes kept at most.</summary>
    public long Budget { get; } = budget;

    /// <summary>Bytes kept now.</summary>
    public long Bytes { get; private set; }

    /// <summary>The kept images of batch <paramref name="index"/>, or null.</summary>
    public byte[]? Find(long index) => _kept.GetValueOrDefault(index);

    /// <summary>Keeps the images of batch <paramref name="index"/> if they fit in the budget (the array must not change
    /// afterwards).</summary>
    public void Keep(long index, byte[] images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (_kept.ContainsKey(index) || Bytes + images.LongLength > Budget) return;
        _kept[index] = images;
        Bytes += images.LongLength;
    }
}
