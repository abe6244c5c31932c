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

    public static TheoryData<int, int, int> EdgeShapes()
    {
        var data = new TheoryData<int, int, int>();
        int[] sizes = [1, 7, 33, 129];
        foreach (int m in sizes) foreach (int n in sizes) foreach (int k in sizes)
            if ((m + n + k) % 2 == 1 || (m == n && n == k)) data.Add(m, n, k);   // a spread of the 64 combinations, quick
        data.Add(300, 17, 520);   // several KC panels and MC blocks
        data.Add(6, 3100, 5);     // more than one NC panel
        return data;
    }

    [OpenBlasTheory, MemberData(nameof(EdgeShapes))]
    public void Managed_kernel_equals_OpenBlas_for_every_transpose_combination(int m, int n, int k)
    {
        var previous = Gemm.Backend;
        try
        {
            var random = new Random(m * 10007 + n * 101 + k);
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 1, ldc = n + 2;   // strided storage
                    var a = RandomFloats(random, (ta ? k : m) * lda);
                    var b = RandomFloats(random, (tb ? n : k) * ldb);
                    var c0 = RandomFloats(random, m * ldc);
                    var managed = (float[])c0.Clone();
                    var blas = (float[])c0.Clone();
                    Gemm.Backend = GemmBackend.Managed;
                    Gemm.Multiply(ta, tb, m, n, k, 1.5f, a, lda, b, ldb, 0.25f, managed, ldc);
                    Gemm.Backend = GemmBackend.OpenBlas;
                    Gemm.Multiply(ta, tb, m, n, k, 1.5f, a, lda, b, ldb, 0.25f, blas, ldc);
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < ldc; j++)
                        {
                            int at = i * ldc + j;
                            if (j >= n) Assert.Equal(c0[at], managed[at]);   // padding columns untouched
                            else Assert.True(Math.Abs(managed[at] - blas[at]) <= 1e-4f * (Math.Sqrt(k) + Math.Abs(blas[at])),
                                $"ta={ta} tb={tb} C[{i},{j}]: managed {managed[at]} vs OpenBLAS {blas[at]}");
                        }
                }
        }
        finally { Gemm.Backend = previous; }
    }

    [OpenBlasFact]
    public void OpenBlas_products_keep_their_callers_thread_count_while_callers_at_another_count_run()
    {
        const int m = 400, n = 256, k = 1024;   // a product whose last bits differ between 1 and 2 OpenBLAS threads here
        var random = new Random(8);
        var a = RandomFloats(random, m * k);
        var b = RandomFloats(random, k * n);
        float[] Product(int threads)
        {
            using var scope = Parallelism.Scope(threads);
            var c = new float[m * n];
            Gemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
            return c;
        }
        var alone = new[] { Product(1), Product(2) };
        Assert.False(alone[0].AsSpan().SequenceEqual(alone[1]), "1 and 2 threads give the same bits: the test cannot tell");
        var mismatches = new int[2];
        var callers = Enumerable.Range(0, 2).Select(i => new Thread(() =>
        {
            for (int repeat = 0; repeat < 40; repeat++)
                if (!Product(i + 1).AsSpan().SequenceEqual(alone[i])) mismatches[i]++;
        })).ToArray();
        foreach (var caller in callers) caller.Start();
        foreach (var caller in callers) caller.Join();
        Assert.Equal([0, 0], mismatches);
    }

    [Fact]
    public void Managed_kernel_is_deterministic_across_runs()
    {
        var previous = Gemm.Backend;
        Gemm.Backend = GemmBackend.Managed;
        try
        {
            var random = new Random(5);
            var a = RandomFloats(random, 257 * 300);
            var b = RandomFloats(random, 300 * 190);
            var c1 = new float[257 * 190];
            var c2 = new float[257 * 190];
            Gemm.Multiply(false, false, 257, 190, 300, 1f, a, 300, b, 190, 0f, c1, 190);
            Gemm.Multiply(false, false, 257, 190, 300, 1f, a, 300, b, 190, 0f, c2, 190);
            Assert.Equal(c1, c2);
        }
        finally { Gemm.Backend = previous; }
    }

    private static float[] RandomFloats(Random random, int count)
    {
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float)random.NextGaussian();
        return v;
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
