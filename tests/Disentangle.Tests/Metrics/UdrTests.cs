using Disentangle.Metrics;
using Disentangle.Tensors;

namespace Disentangle.Tests.Metrics;

public sealed class UdrTests
{
    [Fact]
    public void A_permuted_rescaled_monotone_copy_scores_one()
    {
        var a = Factorial(4);                    // rank-uncorrelated columns: every off-diagonal |Spearman| is exactly 0
        var b = new Matrix(a.Rows, 4);
        for (int r = 0; r < a.Rows; r++) { b[r, 2] = -3 * a[r, 0]; b[r, 0] = Math.Exp(a[r, 1]); b[r, 3] = a[r, 2] + 5; b[r, 1] = 0.1 * a[r, 3]; }
        Assert.Equal(1.0, Udr.PairScore(a, b), 1e-12);
    }

    [Fact]
    public void A_uniform_hadamard_mix_scores_its_common_correlation_over_d()
    {
        // full ±1 factorial design mixed by a Hadamard matrix: every |Spearman| is the same ρ (scipy's spearmanr:
        // 0.49497474683058329, ties averaged), so every line scores ρ²/(dρ) = ρ/d = 0.12374368670764584
        const int d = 4;
        var a = Factorial(d);
        var mixed = Matrix.Multiply(a, DciTests.Hadamard(d));
        Assert.Equal(0.12374368670764584, Udr.PairScore(a, mixed), 1e-12);
    }

    [Fact]
    public void Model_scores_are_medians_of_pairwise_scores_and_rank_consistent_models_first()
    {
        var random = new Random(4);
        var z = Matrix.RandomNormal(400, 3, random);
        var mix = Matrix.FromRows([[1.0, 1.0, 0.0], [1.0, -1.0, 0.3], [0.2, 0.5, 1.0]]);
        Matrix Noisy(Matrix m) { var c = m.Clone(); for (int k = 0; k < c.Data.Length; k++) c.Data[k] += 0.05 * random.NextGaussian(); return c; }
        Matrix[] models = [Noisy(z), Noisy(z), Noisy(Matrix.Multiply(z, mix))];
        var scores = Udr.ModelScores(models);
        double p01 = Udr.PairScore(models[0], models[1]), p02 = Udr.PairScore(models[0], models[2]), p12 = Udr.PairScore(models[1], models[2]);
        Assert.Equal(0.5 * (p01 + p02), scores[0], 1e-12);
        Assert.Equal(0.5 * (p02 + p12), scores[2], 1e-12);
        Assert.True(scores[0] > scores[2] && scores[1] > scores[2], $"scores {string.Join(", ", scores)}");
        Assert.InRange(p01, 0.85, 1.0);
    }

    [Fact]
    public void Constant_features_are_left_out_and_one_model_is_rejected()
    {
        var random = new Random(5);
        var a = Factorial(2);
        var b = new Matrix(a.Rows, 3);
        for (int r = 0; r < a.Rows; r++) { b[r, 0] = a[r, 1]; b[r, 1] = 7; b[r, 2] = a[r, 0]; }
        Assert.Equal(1.0, Udr.PairScore(a, b), 1e-12);
        Assert.Equal(0.0, Udr.PairScore(a, new Matrix(a.Rows, 2)));
        Assert.Throws<ArgumentException>(() => Udr.ModelScores([a]));
        Assert.Throws<ArgumentException>(() => Udr.PairScore(a, Matrix.RandomNormal(10, 2, random)));
    }

    private static Matrix Factorial(int d)
    {
        var a = new Matrix(1 << d, d);
        for (int r = 0; r < a.Rows; r++)
            for (int j = 0; j < d; j++) a[r, j] = ((r >> j) & 1) == 1 ? 1 : -1;
        return a;
    }
}
