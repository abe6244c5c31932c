using Disentangle.Data;
using Disentangle.Data.Tasks;
using Disentangle.Training;

namespace Disentangle.Runs;

/// <summary>The fixed held-out tasks whose mean outer loss selects the best checkpoint, drawn in batches of
/// <see cref="BatchTasks"/> (the reference: 100 batches of 10 tasks) from their own seed, batch by batch at each evaluation.
/// Their images are kept between evaluations up to <see cref="MaxKeptBytes"/> (and an eighth of the memory available), so
/// each is rendered once a run; beyond that, memory stays that of one batch whatever the count.</summary>
public sealed class ValidationTasks
{
    /// <summary>Tasks per validation batch (the reference's <c>batch_size=10</c>).</summary>
    public const int BatchTasks = 10;

    /// <summary>Image bytes kept between evaluations at most (1 GiB: the reference's 1,000 tasks of 50 3D Shapes images
    /// take 614 MB).</summary>
    public const long MaxKeptBytes = 1L << 30;

    private readonly TaskBatchSampler _full;
    private readonly TaskBatchSampler? _rest;
    private readonly BatchImages _images;   // the full batches' (the rest, under 10 tasks, is drawn each time)

    /// <summary>Creates <paramref name="count"/> tasks like the training stream's, with a seed of their own.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public ValidationTasks(IImageDataset source, TaskBatchOptions training, int count)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(training);
        Guard.AtLeast(count, 1, nameof(count));
        Count = count;
        var options = training with { Seed = training.Seed ^ 0x5EED };
        _full = new TaskBatchSampler(source, options with { Tasks = Math.Min(BatchTasks, count) });
        if (count > BatchTasks && count % BatchTasks != 0)
            _rest = new TaskBatchSampler(source, options with { Tasks = count % BatchTasks, Seed = options.Seed ^ 0x7E57 });
        _images = new BatchImages(Math.Min(MaxKeptBytes, MemoryBudget.Available / 8));
    }

    /// <summary>Image bytes kept between evaluations now.</summary>
    public long KeptBytes => _images.Bytes;

    /// <summary>Number of validation tasks.</summary>
    public int Count { get; }

    /// <summary>The mean outer loss of <paramref name="step"/>'s encoder over every validation task (evaluation mode).</summary>
    /// <exception cref="TrainingDivergedException">The features are not finite.</exception>
    public double Loss(BilevelStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        int batches = Count <= BatchTasks ? 1 : Count / BatchTasks;
        double sum = 0;
        for (int b = 0; b < batches; b++) sum += step.ValidationLoss(_full.Sample(b, _images)) * _full.Options.Tasks;
        if (_rest is not null) sum += step.ValidationLoss(_rest.Sample(0)) * _rest.Options.Tasks;
        return sum / Count;
    }
}
