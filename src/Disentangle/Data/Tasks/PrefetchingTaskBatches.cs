using System.Threading.Channels;

namespace Disentangle.Data.Tasks;

/// <summary>Draws the batches of a <see cref="TaskBatchSampler"/> on a background thread, a few ahead, so rendering
/// overlaps training. Deterministic: <see cref="Next"/> returns batches first, first + 1, … exactly as
/// <see cref="TaskBatchSampler.Sample"/> would, whatever the timing.</summary>
public sealed class PrefetchingTaskBatches : IDisposable
{
    private readonly Channel<TaskBatch> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _producer;

    /// <summary>Starts drawing batches from <paramref name="firstBatch"/> on, keeping at most <paramref name="capacity"/> ready.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> &lt; 1 or <paramref name="firstBatch"/> &lt; 0.</exception>
    public PrefetchingTaskBatches(TaskBatchSampler sampler, long firstBatch = 0, int capacity = 2)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentOutOfRangeException.ThrowIfNegative(firstBatch);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _queue = Channel.CreateBounded<TaskBatch>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        var token = _stop.Token;
        _producer = Task.Run(async () =>
        {
            try
            {
                for (long i = firstBatch; !token.IsCancellationRequested; i++)
                    await _queue.Writer.WriteAsync(sampler.Sample(i), token).ConfigureAwait(false);
                _queue.Writer.TryComplete();
            }
            catch (OperationCanceledException) { _queue.Writer.TryComplete(); }
            catch (Exception e) { _queue.Writer.TryComplete(e); }
        });
    }

    /// <summary>The next batch of the stream, waiting for it if it is not ready.</summary>
    /// <exception cref="ObjectDisposedException">After <see cref="Dispose"/>.</exception>
    /// <exception cref="InvalidOperationException">The background sampler failed (the cause is the inner exception).</exception>
    public TaskBatch Next()
    {
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        try
        {
            return _queue.Reader.ReadAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException e) when (e.InnerException is not null)
        {
            throw new InvalidOperationException($"Drawing a task batch failed: {e.InnerException.Message}", e.InnerException);
        }
    }

    /// <summary>Stops the background thread and waits for it.</summary>
    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        try { _producer.Wait(); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
