using System.Numerics.Tensors;
using Disentangle.Tensors;

namespace Disentangle.Metrics;

/// <summary>A sample matrix prepared for correlations: its column means and centred sums of squares, checked once.</summary>
/// <remarks>Correlations come from one GEMM on the stored data followed by the centring correction
/// <c>Σ (a − μ_a)(b − μ_b) = aᵀb − n μ_a μ_b</c>. That correction loses about <c>ε (1 + |μ|/σ)²</c> of relative accuracy,
/// so when some column has <c>|μ| &gt; 100 σ</c> the data is centred explicitly (a copy) and the correction vanishes.</remarks>
internal sealed class CenteredColumns
{
    /// <summary>A column is constant when its standard deviation is at most this fraction of its root mean square.</summary>
    public const double ConstantTolerance = 1e-12;

    /// <summary>Largest |mean| / std for which the implicit centring correction is used.</summary>
    private const double MaxMeanToSpread = 100;

    private const int Chunks = 8;   // fixed partition of the rows: the same sums whatever the thread count

    private CenteredColumns(Matrix data, double[] mean, double[] sumOfSquares)
    {
        Data = data; Mean = mean; SumOfSquares = sumOfSquares;
    }

    /// <summary>Stored samples (the caller's matrix, or a centred or ranked copy), shape (n, p).</summary>
    public Matrix Data { get; }

    /// <summary>Means still to be subtracted from <see cref="Data"/> (the tiny residual means when Data is a centred copy).</summary>
    public double[] Mean { get; }

    /// <summary>Centred sums of squares <c>Σ_i (x_ij − μ_j)²</c>, each &gt; 0.</summary>
    public double[] SumOfSquares { get; }

    /// <summary>Checks and prepares <paramref name="x"/>; with <paramref name="ranks"/> its columns are replaced by average ranks.</summary>
    /// <param name="x">Samples, shape (n, p).</param>
    /// <param name="name">The parameter name used in error messages.</param>
    /// <param name="ranks">Replace each column by its average ranks first (Spearman).</param>
    /// <param name="columnIndices">The caller's index of each column, for messages, when x is a column subset.</param>
    /// <exception cref="ArgumentException">An entry is not finite, or a column is constant (named with <paramref name="name"/>).</exception>
    public static CenteredColumns Prepare(Matrix x, string name, bool ranks, IReadOnlyList<int>? columnIndices = null)
    {
        if (ranks)
        {
            ThrowIfNotFinite(x, name);
            x = x.Clone();
            Ranking.RankColumnsInPlace(x);
        }
        var (sum, sumSquares) = Moments(x);
        int n = x.Rows, p = x.Columns;
        for (int j = 0; j < p; j++)
            if (!double.IsFinite(sum[j]) || !double.IsFinite(sumSquares[j])) ThrowIfNotFinite(x, name, overflowColumn: j);
        var mean = new double[p];
        var centred = new double[p];
        bool implicitOk = true;
        for (int j = 0; j < p; j++)
        {
            mean[j] = sum[j] / n;
            centred[j] = sumSquares[j] - n * mean[j] * mean[j];               // Σ(x − μ)² = Σx² − nμ²
            implicitOk &= centred[j] > 0 && mean[j] * mean[j] <= MaxMeanToSpread * MaxMeanToSpread * (centred[j] / n);
        }
        if (!implicitOk)
        {
            x = x.Clone();                                                      // centre explicitly: exact spreads
            for (int i = 0; i < n; i++) TensorPrimitives.Subtract(x.Row(i), mean, x.Row(i));
            var (residual, squares) = Moments(x);                               // the rounded mean leaves a residual
            for (int j = 0; j < p; j++)                                         // mean, corrected like any other
            {
                mean[j] = residual[j] / n;
                centred[j] = squares[j] - n * mean[j] * mean[j];
            }
        }
        for (int j = 0; j < p; j++)
            if (!(centred[j] > ConstantTolerance * ConstantTolerance * sumSquares[j]))
                throw new ArgumentException(
                    $"{name} column {(columnIndices is null ? j : columnIndices[j])} is constant (zero variance{(ranks ? "" : $", value ≈ {mean[j]:G6}")}); " +
                    "correlations with it are undefined. Drop the column or check the representation.", name);
        return new CenteredColumns(x, mean, centred);
    }

    /// <summary>Pearson correlations <c>C[j, k] = corr(a_j, b_k)</c>, shape (p_a, p_b), clipped to [−1, 1].</summary>
    public static Matrix Correlations(CenteredColumns a, CenteredColumns b)
    {
        int n = a.Data.Rows, p = a.Data.Columns, q = b.Data.Columns;
        var c = new Matrix(p, q);
        Gemm.Multiply(true, false, p, q, n, 1.0, a.Data.Data, p, b.Data.Data, q, 0.0, c.Data, q);   // aᵀb
        var scaleB = new double[q];
        for (int k = 0; k < q; k++) scaleB[k] = 1 / Math.Sqrt(b.SumOfSquares[k]);
        for (int j = 0; j < p; j++)
        {
            var row = c.Row(j);
            TensorPrimitives.MultiplyAdd(b.Mean, -n * a.Mean[j], row, row);  // − n μ_a μ_bᵀ
            TensorPrimitives.Multiply(row, scaleB, row);
            TensorPrimitives.Multiply(row, 1 / Math.Sqrt(a.SumOfSquares[j]), row);
        }
        for (int k = 0; k < c.Data.Length; k++) c.Data[k] = Math.Clamp(c.Data[k], -1.0, 1.0);
        if (ReferenceEquals(a, b))
            for (int j = 0; j < p; j++) c[j, j] = 1;
        return c;
    }

    /// <summary>Column sums and sums of squares, rows split into a fixed number of chunks summed in parallel.</summary>
    private static (double[] Sum, double[] SumSquares) Moments(Matrix x)
    {
        int n = x.Rows, p = x.Columns, chunks = (long)n * p >= 1 << 16 ? Math.Min(Chunks, n) : 1;
        var partial = new double[chunks, 2 * p];
        Parallel.For(0, chunks, Parallelism.Options, c => SumChunk(x, (int)((long)n * c / chunks), (int)((long)n * (c + 1) / chunks), partial, c));
        var total = new double[p];
        var totalSquares = new double[p];
        for (int c = 0; c < chunks; c++)                                       // merged in chunk order: deterministic
            for (int j = 0; j < p; j++) { total[j] += partial[c, j]; totalSquares[j] += partial[c, p + j]; }
        return (total, totalSquares);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void SumChunk(Matrix x, int first, int last, double[,] partial, int chunk)
    {
        int p = x.Columns;
        var sum = new double[p];
        var squares = new double[p];
        for (int i = first; i < last; i++)
        {
            var row = x.Row(i);
            TensorPrimitives.Add(sum, row, sum);                                // Σ x
            TensorPrimitives.MultiplyAdd(row, row, squares, squares);           // Σ x²
        }
        for (int j = 0; j < p; j++) { partial[chunk, j] = sum[j]; partial[chunk, p + j] = squares[j]; }
    }

    private static void ThrowIfNotFinite(Matrix x, string name, int overflowColumn = -1)
    {
        var data = x.Data;
        for (int k = 0; k < data.Length; k++)
            if (!double.IsFinite(data[k]))
                throw new ArgumentException($"{name}[{k / x.Columns}, {k % x.Columns}] is {data[k]}; every entry must be finite.", name);
        if (overflowColumn >= 0)
            throw new ArgumentException($"{name} column {overflowColumn} is too large: its sum of squares overflows. Rescale the data.", name);
    }
}
