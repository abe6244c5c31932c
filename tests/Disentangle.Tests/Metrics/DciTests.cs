using Disentangle.Metrics;
using Disentangle.Tensors;

namespace Disentangle.Tests.Metrics;

public sealed class DciTests
{
    [Fact]
    public void Dci_of_a_scaled_permutation_is_one_one_and_fully_informative()
    {
        var random = new Random(5);
        var z = Matrix.RandomNormal(500, 4, random);
        int[] target = [2, 0, 3, 1];
        var zhat = new Matrix(500, 4);
        for (int r = 0; r < 500; r++)
            for (int i = 0; i < 4; i++) zhat[r, target[i]] = (i + 1) * (i % 2 == 0 ? -1 : 1) * z[r, i] + i;
        var dci = Dci.Compute(z, zhat);
        Assert.Equal(1.0, dci.Disentanglement, 1e-8);
        Assert.Equal(1.0, dci.Completeness, 1e-8);
        Assert.Equal(1.0, dci.Informativeness, 1e-9);
        for (int i = 0; i < 4; i++) Assert.Equal(1.0, dci.Importance[target[i], i], 1e-9);   // standardised |β|
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    public void Dci_of_a_uniform_hadamard_mix_is_zero(int d)
    {
        // a full ±1 factorial design: factors exactly uncorrelated with equal variance, as on a latent grid
        var z = new Matrix(1 << d, d);
        for (int r = 0; r < z.Rows; r++)
            for (int j = 0; j < d; j++) z[r, j] = ((r >> j) & 1) == 1 ? 1 : -1;
        var hadamard = Hadamard(d);                              // |H⁻¹| = |H|/d is uniform: every code uses every factor equally
        var dci = Dci.Compute(z, Matrix.Multiply(z, hadamard));
        Assert.Equal(0.0, dci.Disentanglement, 1e-10);
        Assert.Equal(0.0, dci.Completeness, 1e-10);
        Assert.Equal(1.0, dci.Informativeness, 1e-9);
    }

    [Fact]
    public void Dci_of_a_random_dense_mix_is_far_from_one()
    {
        var random = new Random(6);
        var z = Matrix.RandomNormal(1000, 5, random);
        var dci = Dci.Compute(z, Matrix.Multiply(z, Matrix.RandomNormal(5, 5, random)));
        Assert.InRange(dci.Disentanglement, 0.0, 0.6);
        Assert.InRange(dci.Completeness, 0.0, 0.6);
    }

    [Fact]
    public void Importance_formulas_match_a_hand_computation()
    {
        // codes × factors; code 2 is unused (weight 0, D = 0)
        var importance = Matrix.FromRows([[0.6, 0.2], [0.0, 0.4], [0.0, 0.0]]);
        var dci = Dci.FromImportance(importance);
        double H(params double[] p) => -p.Where(x => x > 0).Sum(x => x * Math.Log(x));
        Assert.Equal(1 - H(0.75, 0.25) / Math.Log(2), dci.DisentanglementPerCode[0], 1e-8);
        Assert.Equal(1.0, dci.DisentanglementPerCode[1], 1e-8);      // 1 − H(ε-smoothed one-hot) ≈ 1 − 1e-9
        Assert.Equal(0.0, dci.DisentanglementPerCode[2], 1e-9);
        Assert.Equal([0.8 / 1.2, 0.4 / 1.2, 0], dci.CodeWeights, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(1.0, dci.CompletenessPerFactor[0], 1e-8);
        Assert.Equal(1 - H(1 / 3.0, 2 / 3.0) / Math.Log(3), dci.CompletenessPerFactor[1], 1e-8);
        Assert.Equal([0.5, 0.5], dci.FactorWeights, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(dci.DisentanglementPerCode[0] * 0.8 / 1.2 + 0.4 / 1.2, dci.Disentanglement, 1e-8);
        Assert.Equal(0.5 * dci.CompletenessPerFactor[0] + 0.5 * dci.CompletenessPerFactor[1], dci.Completeness, 1e-9);
    }

    [Fact]
    public void All_zero_importance_gets_uniform_weights_and_zero_scores()
    {
        var dci = Dci.FromImportance(new Matrix(3, 2));
        Assert.All(dci.CodeWeights, w => Assert.Equal(1 / 3.0, w, 1e-12));
        Assert.Equal(0.0, dci.Disentanglement, 1e-9);
        Assert.Equal(0.0, dci.Completeness, 1e-9);
        Assert.Throws<ArgumentException>(() => Dci.FromImportance(Matrix.FromRows([[0.1, -0.2]])));
    }

    [Fact]
    public void Single_factor_and_single_code_edge_cases_are_defined()
    {
        var random = new Random(9);
        var z = Matrix.RandomNormal(100, 1, random);
        var zhat = Matrix.RandomNormal(100, 3, random);
        var dci = Dci.Compute(z, zhat);
        Assert.All(dci.DisentanglementPerCode, v => Assert.Equal(1.0, v));       // one factor: base-1 entropy is taken as 0
        var single = Dci.Compute(Matrix.RandomNormal(100, 2, random), Matrix.RandomNormal(100, 1, random));
        Assert.All(single.CompletenessPerFactor, v => Assert.Equal(1.0, v));
    }

    [Fact]
    public void Report_equals_the_three_metrics_computed_separately()
    {
        var random = new Random(10);
        var z = Matrix.RandomNormal(600, 3, random);
        var zhat = Matrix.Multiply(z, Matrix.RandomNormal(3, 7, random));
        for (int k = 0; k < zhat.Data.Length; k++) zhat.Data[k] += 0.3 * random.NextGaussian();
        foreach (var kind in new[] { CorrelationKind.Pearson, CorrelationKind.Spearman })
        {
            var report = DisentanglementReport.Evaluate(z, zhat, kind);
            var mcc = Mcc.Compute(z, zhat, kind);
            Assert.Equal(mcc.Mcc, report.Mcc.Mcc, 1e-12);
            Assert.Equal(mcc.Assignment, report.Mcc.Assignment);
            for (int k = 0; k < mcc.Correlations.Data.Length; k++) Assert.Equal(mcc.Correlations.Data[k], report.Mcc.Correlations.Data[k], 1e-12);
            Assert.Equal(MultipleCorrelation.Compute(z, zhat).PerFactor, report.MultipleCorrelation.PerFactor);
            var dci = Dci.Compute(z, zhat);
            Assert.Equal(dci.Disentanglement, report.Dci.Disentanglement);
            Assert.Equal(dci.Completeness, report.Dci.Completeness);
            Assert.Equal(dci.InformativenessPerFactor, report.MultipleCorrelation.RSquared);
        }
    }

    internal static Matrix Hadamard(int d)
    {
        var h = Matrix.FromRows([[1.0]]);
        while (h.Rows < d)
        {
            int k = h.Rows;
            var next = new Matrix(2 * k, 2 * k);
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++)
                {
                    next[i, j] = next[i, j + k] = next[i + k, j] = h[i, j];
                    next[i + k, j + k] = -h[i, j];
                }
            h = next;
        }
        return h;
    }
}
