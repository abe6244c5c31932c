using Disentangle.Solvers;

namespace Disentangle.Tests.Solvers;

public sealed class BlockKernelTests
{
    [Theory, InlineData(50, 1), InlineData(50, 5), InlineData(7, 4), InlineData(33, 9), InlineData(3, 2)]
    public void Fused_kernels_match_plain_loops(int n, int k)
    {
        var random = new Random(n * 31 + k);
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var r = Enumerable.Range(0, n * k).Select(_ => random.NextDouble() - 0.5).ToArray();
        var delta = Enumerable.Range(0, k).Select(c => c == 1 ? 0 : random.NextDouble() - 0.5).ToArray();
        var dots = new double[k];
        BlockKernels.Dots(x, r, dots);
        for (int c = 0; c < k; c++) Assert.Equal(Enumerable.Range(0, n).Sum(i => x[i] * r[c * n + i]), dots[c], 1e-13);
        var expected = (double[])r.Clone();
        for (int c = 0; c < k; c++)
            for (int i = 0; i < n; i++) expected[c * n + i] -= delta[c] * x[i];
        BlockKernels.SubtractOuter(x, delta, r);
        for (int i = 0; i < r.Length; i++) Assert.Equal(expected[i], r[i], 1e-14);
    }
}
