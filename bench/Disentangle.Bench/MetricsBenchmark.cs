using System.Diagnostics;
using Disentangle.Metrics;
using Disentangle.Tensors;

namespace Disentangle.Bench;

/// <summary>MCC + R + DCI on n samples of d true factors and m learned codes (bench/metrics compares with NumPy/SciPy/sklearn).</summary>
/// <remarks>Usage: <c>metrics [n] [d] [m] [repeats]</c>; prints <c>ours_ms=…</c> (median of the joint
/// <see cref="DisentanglementReport.Evaluate"/>) and <c>ours_separate_ms=…</c> (three separate calls); with
/// <c>METRICS_PROFILE=1</c> also the time of each piece.</remarks>
public sealed class MetricsBenchmark : IBenchmark
{
    /// <inheritdoc/>
    public string Name => "metrics";

    /// <inheritdoc/>
    public int Run(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 10_000;
        int d = args.Length > 1 ? int.Parse(args[1]) : 6;
        int m = args.Length > 2 ? int.Parse(args[2]) : 64;
        int repeats = args.Length > 3 ? int.Parse(args[3]) : 7;
        var (z, zhat) = Data(n, d, m, new Random(12345));

        double checksum = 0;
        double joint = Median(repeats, () =>
        {
            var report = DisentanglementReport.Evaluate(z, zhat);
            checksum += report.Mcc.Mcc + report.MultipleCorrelation.R + report.Dci.Disentanglement + report.Dci.Completeness;
        });
        double separate = Median(repeats, () =>
            checksum += Mcc.Compute(z, zhat).Mcc + MultipleCorrelation.Compute(z, zhat).R + Dci.Compute(z, zhat).Disentanglement);
        if (Environment.GetEnvironmentVariable("METRICS_PROFILE") == "1")
        {
            Console.WriteLine($"corr_ms={Median(repeats, () => Correlation.Compute(z, zhat)):F3}");
            Console.WriteLine($"mcc_ms={Median(repeats, () => Mcc.Compute(z, zhat)):F3}");
            Console.WriteLine($"r_ms={Median(repeats, () => MultipleCorrelation.Compute(z, zhat)):F3}");
            Console.WriteLine($"dci_ms={Median(repeats, () => Dci.Compute(z, zhat)):F3}");
            var big = new Matrix(n, d + m);
            Console.WriteLine($"gemm_ms={Median(repeats, () => Matrix.Multiply(big, big, transposeA: true)):F3}");
            Console.WriteLine($"clone_ms={Median(repeats, () => big.Clone()):F3}");
        }
        var last = DisentanglementReport.Evaluate(z, zhat);
        Console.WriteLine($"# {Gemm.Describe()}; n={n} d={d} m={m}; MCC={last.Mcc.Mcc:F4} R={last.MultipleCorrelation.R:F4} " +
                          $"D={last.Dci.Disentanglement:F4} C={last.Dci.Completeness:F4} (checksum {checksum:F1})");
        Console.WriteLine($"ours_ms={joint:F3} ours_separate_ms={separate:F3}");
        return 0;
    }

    /// <summary>Z ~ N(0, I) (n, d); Ẑ = tanh(Z A) + 0.1·noise (n, m), A ~ N(0, 1/d).</summary>
    private static (Matrix Z, Matrix Zhat) Data(int n, int d, int m, Random random)
    {
        var z = Matrix.RandomNormal(n, d, random);
        var a = Matrix.RandomNormal(d, m, random);
        for (int k = 0; k < a.Data.Length; k++) a.Data[k] /= Math.Sqrt(d);
        var zhat = Matrix.Multiply(z, a);
        for (int k = 0; k < zhat.Data.Length; k++) zhat.Data[k] = Math.Tanh(zhat.Data[k]) + 0.1 * random.NextGaussian();
        return (z, zhat);
    }

    /// <summary>Runs <paramref name="action"/> twice to warm up, then times it; returns the median in milliseconds.</summary>
    private static double Median(int repeats, Action action)
    {
        action();
        action();
        var times = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return times[repeats / 2];
    }
}
