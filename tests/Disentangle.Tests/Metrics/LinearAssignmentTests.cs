using Disentangle.Metrics;
using Disentangle.Tensors;

namespace Disentangle.Tests.Metrics;

public sealed class LinearAssignmentTests
{
    [Fact]
    public void Hand_checked_square_matrix_gets_its_known_optimum()
    {
        // rows→columns 0→1, 1→0, 2→2 cost 1 + 2 + 2 = 5; every other permutation costs more
        var cost = Matrix.FromRows([[4, 1, 3], [2, 0, 5], [3, 2, 2]]);
        var result = LinearAssignment.Minimize(cost);
        Assert.Equal([0, 1, 2], result.RowIndices);
        Assert.Equal([1, 0, 2], result.ColumnIndices);
        Assert.Equal(5, result.Total);
    }

    [Fact]
    public void Wide_matrix_leaves_the_worst_column_unused()
    {
        var score = Matrix.FromRows([[0.1, 0.9, 0.2, 0.0], [0.8, 0.85, 0.1, 0.3]]);
        var result = LinearAssignment.Maximize(score);
        Assert.Equal([0, 1], result.RowIndices);
        Assert.Equal([1, 0], result.ColumnIndices);
        Assert.Equal(1.7, result.Total, 1e-12);
    }

    [Fact]
    public void Tall_matrix_is_solved_through_its_transpose_with_rows_sorted()
    {
        var cost = Matrix.FromRows([[5, 9], [1, 7], [2, 1], [8, 0]]);
        var result = LinearAssignment.Minimize(cost);
        Assert.Equal([1, 3], result.RowIndices);
        Assert.Equal([0, 1], result.ColumnIndices);
        Assert.Equal(1, result.Total);
    }

    [Theory]
    [InlineData(1, 1)] [InlineData(2, 2)] [InlineData(3, 5)] [InlineData(4, 4)] [InlineData(5, 3)]
    [InlineData(5, 7)] [InlineData(6, 6)] [InlineData(7, 7)] [InlineData(7, 4)] [InlineData(2, 7)]
    public void Optimum_equals_brute_force_on_random_and_tied_matrices(int rows, int columns)
    {
        var random = new Random(1000 * rows + columns);
        for (int trial = 0; trial < 20; trial++)
        {
            bool ties = trial % 2 == 1;   // small integer costs create many equal optima
            var cost = new Matrix(rows, columns);
            for (int k = 0; k < cost.Data.Length; k++) cost.Data[k] = ties ? random.Next(4) : random.NextGaussian();
            var minimum = LinearAssignment.Minimize(cost);
            var maximum = LinearAssignment.Maximize(cost);
            Assert.Equal(BruteForce(cost, maximize: false), minimum.Total, 1e-10);
            Assert.Equal(BruteForce(cost, maximize: true), maximum.Total, 1e-10);
            AssertValidMatching(minimum, rows, columns, cost);
            AssertValidMatching(maximum, rows, columns, cost);
        }
    }

    [Fact]
    public void Empty_matrix_gives_an_empty_assignment()
    {
        var result = LinearAssignment.Minimize(new Matrix(0, 3));
        Assert.Empty(result.RowIndices);
        Assert.Equal(0, result.Total);
    }

    [Fact]
    public void Non_finite_cost_is_rejected_with_its_position()
    {
        var cost = Matrix.FromRows([[1, 2], [double.NaN, 0]]);
        var error = Assert.Throws<ArgumentException>(() => LinearAssignment.Minimize(cost));
        Assert.Contains("(1, 0)", error.Message);
        Assert.Equal("cost", error.ParamName);
    }

    private static void AssertValidMatching(LinearAssignmentResult result, int rows, int columns, Matrix cost)
    {
        Assert.Equal(Math.Min(rows, columns), result.RowIndices.Length);
        Assert.Equal(result.RowIndices.Order(), result.RowIndices);
        Assert.Equal(result.RowIndices.Length, result.RowIndices.Distinct().Count());
        Assert.Equal(result.ColumnIndices.Length, result.ColumnIndices.Distinct().Count());
        Assert.Equal(result.Total, result.RowIndices.Select((r, k) => cost[r, result.ColumnIndices[k]]).Sum(), 1e-12);
    }

    /// <summary>Best total over all injective maps of the smaller side into the larger.</summary>
    private static double BruteForce(Matrix cost, bool maximize)
    {
        bool tall = cost.Rows > cost.Columns;
        int small = Math.Min(cost.Rows, cost.Columns), large = Math.Max(cost.Rows, cost.Columns);
        double best = maximize ? double.NegativeInfinity : double.PositiveInfinity;
        var used = new bool[large];
        void Search(int i, double sum)
        {
            if (i == small) { best = maximize ? Math.Max(best, sum) : Math.Min(best, sum); return; }
            for (int j = 0; j < large; j++)
            {
                if (used[j]) continue;
                used[j] = true;
                Search(i + 1, sum + (tall ? cost[j, i] : cost[i, j]));
                used[j] = false;
            }
        }
        Search(0, 0);
        return best;
    }
}
