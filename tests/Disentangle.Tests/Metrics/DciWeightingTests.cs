using Disentangle.Metrics;
using Disentangle.Tensors;

namespace Disentangle.Tests.Metrics;

public sealed class DciWeightingTests
{
    private static double H(params double[] p) => -p.Where(x => x > 0).Sum(x => x * Math.Log(x));

    [Fact]
    public void Released_code_weighting_averages_codes_and_factors_equally_in_a_hand_computation()
    {
        // codes × factors; code 0 explains much more than code 1, factor 1 is spread over both codes
        var importance = Matrix.FromRows([[0.9, 0.3], [0.0, 0.1]]);
        var library = Dci.FromImportance(importance);
        var released = Dci.FromImportance(importance, DciWeighting.ReleasedCode);
        double d0 = 1 - H(0.75, 0.25) / Math.Log(2), c1 = 1 - H(0.75, 0.25) / Math.Log(2);
        Assert.Equal(d0, released.DisentanglementPerCode[0], 1e-7);
        Assert.Equal(1.0, released.DisentanglementPerCode[1], 1e-7);
        Assert.Equal([0.5, 0.5], released.CodeWeights, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(0.5 * d0 + 0.5 * 1, released.Disentanglement, 1e-7);
        Assert.Equal([0.5, 0.5], released.FactorWeights, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(0.5 * 1 + 0.5 * c1, released.Completeness, 1e-7);
        // disentanglement_lib weighs code 0 by 1.2/1.3 and factor 0 by 0.9/1.3
        Assert.Equal(d0 * 1.2 / 1.3 + 0.1 / 1.3, library.Disentanglement, 1e-7);
        Assert.Equal(0.9 / 1.3 + c1 * 0.4 / 1.3, library.Completeness, 1e-7);
        Assert.Equal(importance.Data, released.Importance.Data);
    }

    [Fact]
    public void Both_weightings_agree_when_every_code_and_factor_carries_the_same_importance()
    {
        var importance = Matrix.FromRows([[0.5, 0.25, 0.25], [0.25, 0.5, 0.25], [0.25, 0.25, 0.5]]);
        var library = Dci.FromImportance(importance);
        var released = Dci.FromImportance(importance, DciWeighting.ReleasedCode);
        Assert.Equal(library.Disentanglement, released.Disentanglement, 1e-12);
        Assert.Equal(library.Completeness, released.Completeness, 1e-12);
    }

    [Fact]
    public void Released_code_weighting_gives_an_unused_code_weight_zero_and_all_zero_importances_uniform_weights()
    {
        var released = Dci.FromImportance(Matrix.FromRows([[0.6, 0.2], [0.0, 0.0], [0.0, 0.4]]), DciWeighting.ReleasedCode);
        Assert.Equal([0.5, 0, 0.5], released.CodeWeights, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(0.0, released.DisentanglementPerCode[1], 1e-9);
        var zero = Dci.FromImportance(new Matrix(3, 2), DciWeighting.ReleasedCode);
        Assert.All(zero.CodeWeights, w => Assert.Equal(1 / 3.0, w, 1e-12));
        Assert.Equal(0.0, zero.Disentanglement, 1e-9);
    }

    [Fact]
    public void A_scaled_permutation_scores_one_under_both_weightings()
    {
        var random = new Random(5);
        var z = Matrix.RandomNormal(400, 3, random);
        var zhat = new Matrix(400, 3);
        for (int r = 0; r < 400; r++) { zhat[r, 2] = 3 * z[r, 0]; zhat[r, 0] = -z[r, 1]; zhat[r, 1] = 0.5 * z[r, 2]; }
        var released = Dci.Compute(z, zhat, DciWeighting.ReleasedCode);
        Assert.Equal(1.0, released.Disentanglement, 1e-7);
        Assert.Equal(1.0, released.Completeness, 1e-7);
    }
}
