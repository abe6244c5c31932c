namespace Disentangle.Data.Latents;

/// <summary>Exact nearest-neighbour search (Euclidean) over a fixed set of points in d dimensions: a balanced k-d tree,
/// split at the median of the widest coordinate.</summary>
/// <remarks>The tree is implicit in a permutation of the points: the range [lo, hi) has its splitting point at
/// <c>(lo + hi)/2</c>. Ties are broken towards the lower point index, so a query's answer does not depend on the order the
/// tree is searched in.</remarks>
internal sealed class KdTree
{
    private readonly double[] _points;
    private readonly int _dimension;
    private readonly int[] _order;
    private readonly int[] _axis;

    /// <summary>Builds the tree over <paramref name="points"/> (count × dimension, row-major; not copied).</summary>
    public KdTree(double[] points, int dimension)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        _points = points;
        _dimension = dimension;
        int count = points.Length / dimension;
        if (count == 0) throw new ArgumentException("A k-d tree needs at least one point.", nameof(points));
        _order = [.. Enumerable.Range(0, count)];
        _axis = new int[count];
        var keys = new double[count];
        Build(0, count, keys);
    }

    /// <summary>Number of points.</summary>
    public int Count => _order.Length;

    /// <summary>The index of the point nearest to <paramref name="query"/> (the lowest index among equally near ones).</summary>
    public int Nearest(ReadOnlySpan<double> query)
    {
        if (query.Length != _dimension) throw new ArgumentException($"Expected a point of {_dimension} values; got {query.Length}.", nameof(query));
        double best = double.PositiveInfinity;
        int bestIndex = -1;
        Search(0, _order.Length, query, ref best, ref bestIndex);
        return bestIndex;
    }

    private void Build(int lo, int hi, double[] keys)
    {
        while (hi - lo > 1)
        {
            int axis = WidestAxis(lo, hi);
            for (int i = lo; i < hi; i++) keys[i] = _points[_order[i] * _dimension + axis];
            Array.Sort(keys, _order, lo, hi - lo);
            int mid = (lo + hi) / 2;
            _axis[mid] = axis;
            Build(lo, mid, keys);
            lo = mid + 1;
        }
    }

    private int WidestAxis(int lo, int hi)
    {
        int widest = 0;
        double spread = -1;
        for (int a = 0; a < _dimension; a++)
        {
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            for (int i = lo; i < hi; i++)
            {
                double v = _points[_order[i] * _dimension + a];
                if (v < min) min = v;
                if (v > max) max = v;
            }
            if (max - min > spread) (spread, widest) = (max - min, a);
        }
        return widest;
    }

    private void Search(int lo, int hi, ReadOnlySpan<double> query, ref double best, ref int bestIndex)
    {
        if (lo >= hi) return;
        int mid = (lo + hi) / 2, point = _order[mid];
        var p = _points.AsSpan(point * _dimension, _dimension);
        double distance = 0;
        for (int a = 0; a < _dimension; a++) distance += (query[a] - p[a]) * (query[a] - p[a]);
        if (distance < best || (distance == best && point < bestIndex)) (best, bestIndex) = (distance, point);
        if (hi - lo == 1) return;
        int axis = _axis[mid];
        double difference = query[axis] - p[axis];
        if (difference < 0)
        {
            Search(lo, mid, query, ref best, ref bestIndex);
            if (difference * difference <= best) Search(mid + 1, hi, query, ref best, ref bestIndex);
        }
        else
        {
            Search(mid + 1, hi, query, ref best, ref bestIndex);
            if (difference * difference <= best) Search(lo, mid, query, ref best, ref bestIndex);
        }
    }
}
