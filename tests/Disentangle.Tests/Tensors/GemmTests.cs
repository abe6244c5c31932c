using Disentangle.Tensors;

namespace Disentangle.Tests.Tensors;

[Collection(GemmBackendCollection.Name)]
public sealed class GemmTests
{
    private static double[] Naive(bool ta, bool tb, int m, int n, int k, double[] a, double[] b)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                c[i * n + j] = s;
            }
        return c;
    }

    public static TheoryData<GemmBackend> Backends()
    {
        var data = new TheoryData<GemmBackend> { GemmBackend.Managed };
        if (Gemm.OpenBlasAvailable) data.Add(GemmBackend.OpenBlas);
        return data;
    }

    [Theory, MemberData(nameof(Backends))]
    public void Every_transpose_combination_matches_the_naive_product_in_float_and_double(GemmBackend backend)
    {
        var previous = Gemm.Backend;
        Gemm.Backend = backend;
        try
        {
            var random = new Random(20231);
            foreach (var (m, n, k) in new[] { (1, 1, 1), (7, 5, 3), (33, 17, 65), (64, 130, 9) })
                foreach (bool ta in new[] { false, true })
                    foreach (bool tb in new[] { false, true })
                    {
                        var a = Enumerable.Range(0, m * k).Select(_ => random.NextGaussian()).ToArray();
                        var b = Enumerable.Range(0, k * n).Select(_ => random.NextGaussian()).ToArray();
                        var expected = Naive(ta, tb, m, n, k, a, b);
                        var c = Enumerable.Repeat(1.0, m * n).ToArray();
                        Gemm.Multiply(ta, tb, m, n, k, 2.0, a, ta ? m : k, b, tb ? k : n, 0.5, c, n);
                        for (int i = 0; i < c.Length; i++) Assert.Equal(2 * expected[i] + 0.5, c[i], 1e-9);

                        var cf = Enumerable.Repeat(1f, m * n).ToArray();
                        Gemm.Multiply(ta, tb, m, n, k, 1f, a.Select(v => (float)v).ToArray(), ta ? m : k,
                            b.Select(v => (float)v).ToArray(), tb ? k : n, 0f, cf, n);
                        for (int i = 0; i < cf.Length; i++) Assert.Equal(expected[i], cf[i], 1e-3 * (1 + Math.Abs(expected[i])));
                    }
        }
        finally { Gemm.Backend = previous; }
    }

    [Fact]
    public void Backend_description_names_the_active_backend()
    {
        Assert.Contains(Gemm.Backend == GemmBackend.OpenBlas ? "OpenBLAS" : "managed", Gemm.Describe());
    }
}

/// <summary>Tests that switch the global GEMM backend run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GemmBackendCollection
{
    public const string Name = "Gemm backend";
}
