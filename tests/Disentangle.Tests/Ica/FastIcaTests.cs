using Disentangle.Ica;
using Disentangle.Metrics;
using Disentangle.Tensors;

namespace Disentangle.Tests.Ica;

public sealed class FastIcaTests
{
    /// <summary>k independent non-Gaussian sources (alternating Laplace and uniform), mixed into m ≥ k features.</summary>
    internal static (Matrix Sources, Matrix Mixed, Matrix Mixing) Mixture(int n, int k, int m, int seed)
    {
        var random = new Random(seed);
        var sources = new Matrix(n, k);
        for (int i = 0; i < n; i++)
            for (int c = 0; c < k; c++) sources[i, c] = c % 2 == 0 ? random.NextLaplace() : random.NextUniform(-1, 1);
        var mixing = Matrix.RandomNormal(m, k, random);
        var mixed = Matrix.Multiply(sources, mixing, transposeB: true);                 // X = S Aᵀ
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) mixed[i, j] += 5.0 * j;
        return (sources, mixed, mixing);
    }

    public static TheoryData<IContrast> Contrasts => [new LogCosh(), new ExpContrast(), new Cube()];

    [Theory]
    [MemberData(nameof(Contrasts))]
    public void Fast_ica_recovers_laplace_and_uniform_sources_up_to_sign_and_permutation(IContrast contrast)
    {
        var (sources, mixed, _) = Mixture(3000, 4, 4, seed: 3);
        var result = new FastIca(new FastIcaOptions(Contrast: contrast)).Fit(mixed, new Random(1));
        Assert.True(result.Converged, $"{contrast} did not converge in {result.Iterations} iterations");
        var match = Mcc.Compute(sources, result.Sources);
        Assert.All(match.PerFactor, r => Assert.True(r > 0.99, $"{contrast}: |corr| {r}"));
    }

    [Fact]
    public void Sources_are_standardised_and_transform_reproduces_them()
    {
        var (_, mixed, _) = Mixture(1000, 3, 3, seed: 4);
        var result = new FastIca(new FastIcaOptions()).Fit(mixed, new Random(2));
        for (int c = 0; c < 3; c++)
        {
            var s = result.Sources.Column(c);
            Assert.Equal(0.0, s.Average(), 1e-10);
            Assert.Equal(1.0, s.Select(v => v * v).Average(), 1e-10);
        }
        var again = result.Transform(mixed);
        for (int i = 0; i < again.Data.Length; i++) Assert.Equal(result.Sources.Data[i], again.Data[i], 1e-9);
        var back = result.InverseTransform(result.Sources);
        for (int i = 0; i < back.Data.Length; i++) Assert.Equal(mixed.Data[i], back.Data[i], 1e-8);
        var product = Matrix.Multiply(result.Unmixing, result.Mixing);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) Assert.Equal(i == j ? 1 : 0, product[i, j], 1e-10);
    }

    [Fact]
    public void Fewer_components_than_features_keeps_the_top_principal_subspace()
    {
        var (sources, mixed, _) = Mixture(3000, 3, 7, seed: 5);
        var noise = new Random(77);
        for (int i = 0; i < mixed.Data.Length; i++) mixed.Data[i] += 1e-3 * noise.NextGaussian();
        var result = new FastIca(new FastIcaOptions(Components: 3)).Fit(mixed, new Random(3));
        Assert.Equal((3, 7), (result.Unmixing.Rows, result.Unmixing.Columns));
        Assert.Equal((7, 3), (result.Mixing.Rows, result.Mixing.Columns));
        Assert.True(Mcc.Compute(sources, result.Sources).Mcc > 0.99);
        var centred = mixed.Clone();                                                     // K Σ Kᵀ = I_k: the kept directions are white
        for (int i = 0; i < centred.Rows; i++)
            for (int j = 0; j < 7; j++) centred[i, j] -= result.Mean[j];
        var white = Matrix.Multiply(centred, result.Whitening, transposeB: true);
        var covariance = Matrix.Multiply(white, white, transposeA: true);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) Assert.Equal(i == j ? 1 : 0, covariance[i, j] / centred.Rows, 1e-9);
    }

    [Fact]
    public void Transform_applies_a_model_fitted_on_training_data_to_new_data()
    {
        var (trainSources, train, mixing) = Mixture(3000, 3, 3, seed: 6);
        var (testSources, _, _) = Mixture(500, 3, 3, seed: 60);
        var test = Matrix.Multiply(testSources, mixing, transposeB: true);              // same mixing, fresh samples
        for (int i = 0; i < test.Rows; i++)
            for (int j = 0; j < 3; j++) test[i, j] += 5.0 * j;
        var model = new FastIca(new FastIcaOptions()).Fit(train, new Random(4));
        Assert.True(Mcc.Compute(trainSources, model.Sources).Mcc > 0.99);
        Assert.True(Mcc.Compute(testSources, model.Transform(test)).Mcc > 0.99);
    }

    [Fact]
    public void Same_seed_gives_the_same_bits_and_an_explicit_start_replaces_the_seed()
    {
        var (_, mixed, _) = Mixture(800, 3, 3, seed: 7);
        var a = new FastIca(new FastIcaOptions()).Fit(mixed, new Random(5));
        var b = new FastIca(new FastIcaOptions()).Fit(mixed, new Random(5));
        Assert.Equal(a.Unmixing.Data, b.Unmixing.Data);
        var start = Matrix.RandomNormal(3, 3, new Random(5));
        var c = new FastIca(new FastIcaOptions(InitialUnmixing: start)).Fit(mixed, new Random(999));
        Assert.Equal(a.Unmixing.Data, c.Unmixing.Data);
    }

    [Fact]
    public void Convergence_is_reported_as_data()
    {
        var (_, mixed, _) = Mixture(800, 3, 3, seed: 8);
        var capped = new FastIca(new FastIcaOptions(MaxIterations: 1, Tolerance: 1e-12)).Fit(mixed, new Random(6));
        Assert.False(capped.Converged);
        Assert.Equal(1, capped.Iterations);
        Assert.True(capped.Change >= 1e-12);
        var full = new FastIca(new FastIcaOptions(Tolerance: 1e-8, MaxIterations: 1000)).Fit(mixed, new Random(6));
        Assert.True(full.Converged);
        Assert.True(full.Change < 1e-8);
    }

    [Fact]
    public void Symmetric_decorrelation_returns_an_orthogonal_matrix_with_the_same_row_space_directions()
    {
        var w = Matrix.RandomNormal(5, 5, new Random(9));
        var q = FastIca.SymmetricDecorrelation(w);
        var qqt = Matrix.Multiply(q, q, transposeB: true);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++) Assert.Equal(i == j ? 1 : 0, qqt[i, j], 1e-12);
        // (WWᵀ)^{-1/2}W is the orthogonal polar factor: Q Wᵀ is symmetric positive definite
        var p = Matrix.Multiply(q, w, transposeB: true);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < i; j++) Assert.Equal(p[i, j], p[j, i], 1e-10);
    }

    [Theory]
    [MemberData(nameof(Contrasts))]
    public void Contrast_derivatives_match_central_differences_and_the_batched_form(IContrast contrast)
    {
        const double h = 1e-5;
        double[] u = [-3.1, -1.2, -0.4, 0.0, 0.3, 0.9, 2.5];
        foreach (double x in u)
        {
            Assert.Equal((contrast.Value(x + h) - contrast.Value(x - h)) / (2 * h), contrast.Derivative(x), 1e-6);
            Assert.Equal((contrast.Derivative(x + h) - contrast.Derivative(x - h)) / (2 * h), contrast.SecondDerivative(x), 1e-6);
        }
        var batch = new double[u.Length];
        double mean = contrast.Apply(u, batch);
        for (int i = 0; i < u.Length; i++) Assert.Equal(contrast.Derivative(u[i]), batch[i], 1e-14);
        Assert.Equal(u.Select(contrast.SecondDerivative).Average(), mean, 1e-14);
    }

    [Fact]
    public void Log_cosh_is_stable_for_large_arguments_and_validates_alpha()
    {
        var contrast = new LogCosh(2.0);
        Assert.Equal(500 - Math.Log(2) / 2, contrast.Value(500), 1e-9);        // log cosh(1000) / 2 without overflow
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogCosh(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogCosh(double.NaN));
    }

    [Fact]
    public void Bad_input_is_rejected_with_the_offending_values()
    {
        var (_, mixed, _) = Mixture(100, 2, 3, seed: 9);
        var ica = new FastIca(new FastIcaOptions());
        mixed[7, 1] = double.NaN;
        Assert.Contains("x[7, 1] is NaN", Assert.Throws<ArgumentException>(() => ica.Fit(mixed, new Random(1))).Message);
        Assert.Contains("at least 2", Assert.Throws<ArgumentException>(() => ica.Fit(new Matrix(1, 3), new Random(1))).Message);
        var (_, ok, _) = Mixture(100, 2, 3, seed: 9);
        Assert.Contains("exceeds", Assert.Throws<ArgumentException>(() => new FastIca(new FastIcaOptions(Components: 4)).Fit(ok, new Random(1))).Message);
        Assert.Contains("rank 2 < 3", Assert.Throws<ArgumentException>(() => ica.Fit(ok, new Random(1))).Message);   // 2 sources in 3 features
        Assert.Contains("2×2", Assert.Throws<ArgumentException>(() =>
            new FastIca(new FastIcaOptions(InitialUnmixing: Matrix.Identity(2))).Fit(ok, new Random(1))).Message);
        var model = new FastIca(new FastIcaOptions(Components: 2)).Fit(ok, new Random(1));
        Assert.Throws<ArgumentException>(() => model.Transform(new Matrix(5, 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FastIca(new FastIcaOptions(Tolerance: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FastIca(new FastIcaOptions(MaxIterations: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FastIca(new FastIcaOptions(Components: 0)));
        Assert.Throws<ArgumentException>(() => new FastIca(new FastIcaOptions(InitialUnmixing: new Matrix(2, 3))));
    }
}
