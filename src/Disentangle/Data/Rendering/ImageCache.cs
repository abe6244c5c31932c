namespace Disentangle.Data.Rendering;

/// <summary>A thread-safe least-recently-used cache of rendered images keyed by their six raw factor values.</summary>
/// <remarks>Images are rendered outside the lock; only the lookup, the copy and the bookkeeping hold it. Evicted buffers
/// are reused, so a full cache allocates nothing.</remarks>
internal sealed class ImageCache(int capacity)
{
    private readonly Dictionary<(double, double, double, double, double, double), LinkedListNode<(double, double, double, double, double, double)>> _nodes = [];
    private readonly Dictionary<(double, double, double, double, double, double), byte[]> _images = [];
    private readonly LinkedList<(double, double, double, double, double, double)> _order = new();   // most recent first
    private readonly object _gate = new();

    public int Capacity { get; } = capacity;
    public long Hits { get; private set; }
    public long Requests { get; private set; }

    public static (double, double, double, double, double, double) Key(ReadOnlySpan<double> v) => (v[0], v[1], v[2], v[3], v[4], v[5]);

    public bool TryCopy((double, double, double, double, double, double) key, Span<byte> destination)
    {
        lock (_gate)
        {
            Requests++;
            if (!_nodes.TryGetValue(key, out var node)) return false;
            Hits++;
            _order.Remove(node);
            _order.AddFirst(node);
            _images[key].CopyTo(destination);
            return true;
        }
    }

    public void Add((double, double, double, double, double, double) key, ReadOnlySpan<byte> image)
    {
        lock (_gate)
        {
            if (_nodes.ContainsKey(key)) return;
            byte[] buffer;
            if (_nodes.Count >= Capacity)
            {
                var oldest = _order.Last!;
                _order.RemoveLast();
                _nodes.Remove(oldest.Value);
                _images.Remove(oldest.Value, out buffer!);
            }
            else buffer = new byte[ShapesImage.Bytes];
            image.CopyTo(buffer);
            _images[key] = buffer;
            _nodes[key] = _order.AddFirst(key);
        }
    }
}
