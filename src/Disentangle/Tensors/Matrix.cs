namespace Disentangle.Tensors;

/// <summary>A dense float64 matrix in row-major storage, used by solvers, metrics and ICA.</summary>
public sealed class Matrix
{
    /// <summary>Creates a matrix over <paramref name="data"/> (not copied), shape (rows, columns).</summary>
    /// <exception cref="ArgumentException">The data length is not rows·columns.</exception>
    public Matrix(int rows, int columns, double[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (data.Length != rows * columns)
            throw new ArgumentException($"A {rows}×{columns} matrix needs {rows * columns} values but got {data.Length}.", nameof(data));
        Rows = rows; Columns = columns; Data = data;
    }

    /// <summary>Creates a zero matrix of shape (rows, columns).</summary>
    public Matrix(int rows, int columns) : this(rows, columns, new double[rows * columns]) { }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>Row-major storage, length Rows·Columns.</summary>
    public double[] Data { get; }

    /// <summary>Element (i, j).</summary>
    public double this[int i, int j]
    {
        get => Data[i * Columns + j];
        set => Data[i * Columns + j] = value;
    }

    /// <summary>Row i as a span over the storage.</summary>
    public Span<double> Row(int i) => Data.AsSpan(i * Columns, Columns);

    /// <summary>Column j copied into a new array.</summary>
    public double[] Column(int j)
    {
        var col = new double[Rows];
        for (int i = 0; i < Rows; i++) col[i] = Data[i * Columns + j];
        return col;
    }

    /// <summary>A new matrix of the rows at <paramref name="rows"/>, in that order (a row may repeat).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A row index is outside the matrix.</exception>
    public Matrix RowsAt(ReadOnlySpan<int> rows)
    {
        var result = new Matrix(rows.Length, Columns);
        for (int i = 0; i < rows.Length; i++) Row(rows[i]).CopyTo(result.Row(i));
        return result;
    }

    /// <summary>A deep copy.</summary>
    public Matrix Clone() => new(Rows, Columns, (double[])Data.Clone());

    /// <summary>The transpose, as a new matrix.</summary>
    public Matrix Transpose()
    {
        var t = new Matrix(Columns, Rows);
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Columns; j++)
                t.Data[j * Rows + i] = Data[i * Columns + j];
        return t;
    }

    /// <summary>Builds a matrix from rows of equal length.</summary>
    /// <exception cref="ArgumentException">Rows have different lengths.</exception>
    public static Matrix FromRows(double[][] rows)
    {
        int columns = rows.Length == 0 ? 0 : rows[0].Length;
        var m = new Matrix(rows.Length, columns);
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i].Length != columns)
                throw new ArgumentException($"Row {i} has {rows[i].Length} values but row 0 has {columns}.", nameof(rows));
            rows[i].CopyTo(m.Row(i));
        }
        return m;
    }

    /// <summary>The identity matrix of size n.</summary>
    public static Matrix Identity(int n)
    {
        var m = new Matrix(n, n);
        for (int i = 0; i < n; i++) m.Data[i * n + i] = 1;
        return m;
    }

    /// <summary>A matrix of independent standard normal draws.</summary>
    public static Matrix RandomNormal(int rows, int columns, Random random)
    {
        var m = new Matrix(rows, columns);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = random.NextGaussian();
        return m;
    }

    /// <summary>Returns <c>op(a)·op(b)</c> through <see cref="Gemm"/>.</summary>
    /// <exception cref="ArgumentException">Inner dimensions differ.</exception>
    public static Matrix Multiply(Matrix a, Matrix b, bool transposeA = false, bool transposeB = false)
    {
        int m = transposeA ? a.Columns : a.Rows, k = transposeA ? a.Rows : a.Columns;
        int kb = transposeB ? b.Columns : b.Rows, n = transposeB ? b.Rows : b.Columns;
        if (k != kb)
            throw new ArgumentException($"Cannot multiply {(transposeA ? "Aᵀ" : "A")} ({m}×{k}) by {(transposeB ? "Bᵀ" : "B")} ({kb}×{n}).", nameof(b));
        var c = new Matrix(m, n);
        Gemm.Multiply(transposeA, transposeB, m, n, k, 1.0, a.Data, a.Columns, b.Data, b.Columns, 0.0, c.Data, n);
        return c;
    }

    /// <summary>Matrix product.</summary>
    public static Matrix operator *(Matrix a, Matrix b) => Multiply(a, b);

    /// <summary>Returns <c>A·x</c>.</summary>
    public double[] Multiply(ReadOnlySpan<double> x)
    {
        if (x.Length != Columns) throw new ArgumentException($"Vector has {x.Length} entries; the matrix has {Columns} columns.", nameof(x));
        var y = new double[Rows];
        for (int i = 0; i < Rows; i++) y[i] = System.Numerics.Tensors.TensorPrimitives.Dot(Row(i), x);
        return y;
    }

    /// <summary>Returns <c>Aᵀ·x</c>.</summary>
    public double[] TransposeMultiply(ReadOnlySpan<double> x)
    {
        if (x.Length != Rows) throw new ArgumentException($"Vector has {x.Length} entries; the matrix has {Rows} rows.", nameof(x));
        var y = new double[Columns];
        for (int i = 0; i < Rows; i++)
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(Row(i), x[i], y, y);
        return y;
    }

    /// <summary>Frobenius norm.</summary>
    public double FrobeniusNorm() => System.Numerics.Tensors.TensorPrimitives.Norm<double>(Data);

    /// <inheritdoc/>
    public override string ToString() => $"Matrix({Rows}×{Columns})";
}
