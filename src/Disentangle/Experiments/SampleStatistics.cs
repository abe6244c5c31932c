namespace Disentangle.Experiments;

/// <summary>Mean and standard error of repeated measurements (e.g. a score over seeds).</summary>
public static class SampleStatistics
{
    /// <summary>The mean and the standard error of the mean, <c>s/√n</c> with the unbiased s (0 for one value).</summary>
    /// <exception cref="ArgumentException">No values.</exception>
    public static (double Mean, double StandardError) MeanAndStandardError(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("Need at least one value.", nameof(values));
        double mean = values.Average();
        double error = values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1) / values.Count);
        return (mean, error);
    }
}
