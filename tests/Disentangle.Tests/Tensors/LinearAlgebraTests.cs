using Disentangle.Tensors;

namespace Disentangle.Tests.Tensors;

public sealed class LinearAlgebraTests
{
    [Fact]
    public void RowsAt_takes_the_rows_in_the_order_asked_repeats_included()
    {
        var m = new Matrix(3, 2, [1, 2, 3, 4, 5, 6]);
        var rows = m.RowsAt([2, 0, 2]);
        Assert.Equal((3, 2), (rows.Rows, rows.Columns));
        Assert.Equal([5.0, 6, 1, 2, 5, 6], rows.Data);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.RowsAt([3]));
    }

    [Fact]
    public void Cholesky_solves_a_positive_definite_system_exactly()
    {
        var random = new Random(7);
        var x = Matrix.RandomNormal(20, 6, random);
        var a = LinearAlgebra.Gram(x);
        var factor = LinearAlgebra.Cholesky(a);
        Assert.Equal(0, factor.Jitter);
        var b = Enumerable.Range(0, 6).Select(i => (double)i - 2).ToArray();
        var solution = (double[])b.Clone();
        factor.SolveInPlace(solution);
        var back = a.Multiply(solution);
        for (int i = 0; i < 6; i++) Assert.Equal(b[i], back[i], 1e-9);
    }

    [Fact]
    public void Cholesky_of_a_singular_matrix_reports_the_jitter_it_needed()
    {
        var a = Matrix.FromRows([[1, 1], [1, 1]]);
        var factor = LinearAlgebra.Cholesky(a);
        Assert.True(factor.Jitter > 0);
        Assert.True(factor.Jitter < 1e-6);
    }

    [Fact]
    public void Symmetric_eigendecomposition_reconstructs_the_matrix_with_orthonormal_vectors()
    {
        var random = new Random(3);
        var a = LinearAlgebra.Gram(Matrix.RandomNormal(9, 5, random));
        var eig = LinearAlgebra.EigenSymmetric(a);
        for (int i = 1; i < 5; i++) Assert.True(eig.Values[i - 1] >= eig.Values[i]);
        var vtv = Matrix.Multiply(eig.Vectors, eig.Vectors, transposeA: true);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++) Assert.Equal(i == j ? 1 : 0, vtv[i, j], 1e-12);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
            {
                double s = 0;
                for (int k = 0; k < 5; k++) s += eig.Vectors[i, k] * eig.Values[k] * eig.Vectors[j, k];
                Assert.Equal(a[i, j], s, 1e-9);
            }
    }

    [Fact]
    public void Least_squares_recovers_exact_coefficients()
    {
        var random = new Random(11);
        var x = Matrix.RandomNormal(30, 4, random);
        var beta = Matrix.FromRows([[1], [-2], [0.5], [3]]);
        var (coefficients, jitter) = LinearAlgebra.LeastSquares(x, x * beta);
        Assert.Equal(0, jitter);
        for (int i = 0; i < 4; i++) Assert.Equal(beta[i, 0], coefficients[i, 0], 1e-9);
    }

    [Fact]
    public void Matrix_rejects_mismatched_shapes_with_a_message_naming_them()
    {
        var e = Assert.Throws<ArgumentException>(() => Matrix.Multiply(new Matrix(2, 3), new Matrix(4, 2)));
        Assert.Contains("2×3", e.Message);
        Assert.Throws<ArgumentException>(() => new Matrix(2, 2, new double[3]));
    }
}
