namespace Disentangle.Tensors;

public sealed partial class Tensor
{
    /// <summary>Training-mode batch normalisation of (N, C) features with statistics per segment of consecutive rows: each
    /// segment (one task's samples, say) is normalised with its own biased mean and variance, as a batch norm mapped over
    /// tasks (the released code's <c>jax.vmap</c> of the outer loss).</summary>
    /// <remarks>Running statistics take the mean over segments of the per-segment updates, which is what averaging the
    /// mapped states over tasks gives: <c>r_μ ← (1 − m) r_μ + m·mean_s μ_s</c>, <c>r_σ² ← (1 − m) r_σ² + m·mean_s
    /// σ²_s·n_s/(n_s − 1)</c>. The backward is <see cref="BatchNorm"/>'s, segment by segment.</remarks>
    /// <param name="segments">Row counts of the segments, in order, summing to N; each at least 2.</param>
    /// <param name="scale">γ, shape (C), or null.</param>
    /// <param name="offset">β, shape (C), or null.</param>
    /// <param name="runningMean">Running mean, length C (updated).</param>
    /// <param name="runningVar">Running variance, length C (updated).</param>
    /// <param name="momentum">m above.</param>
    /// <param name="epsilon">ε added to each segment's variance.</param>
    /// <exception cref="ArgumentException">Not (N, C), lengths differ from C, or the segments do not cover N rows with at least 2 each.</exception>
    public Tensor SegmentBatchNorm(IReadOnlyList<int> segments, Tensor? scale, Tensor? offset, float[] runningMean, float[] runningVar,
        float momentum = 0.1f, float epsilon = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(runningMean);
        ArgumentNullException.ThrowIfNull(runningVar);
        if (Rank != 2) throw Error("SegmentBatchNorm", $"input {Format(Shape)} must be (N, C).");
        int n = Shape[0], c = Shape[1];
        foreach (var (name, len) in new[] { ("scale", scale?.Length ?? c), ("offset", offset?.Length ?? c), ("runningMean", runningMean.Length), ("runningVar", runningVar.Length) })
            if (len != c) throw Error("SegmentBatchNorm", $"{name} has length {len} but input {Format(Shape)} has {c} channels.", name);
        if (segments.Any(s => s < 2) || segments.Sum() != n)
            throw Error("SegmentBatchNorm", $"segments [{string.Join(", ", segments)}] must each hold at least 2 rows and sum to {n}.", nameof(segments));
        var starts = new int[segments.Count + 1];
        for (int s = 0; s < segments.Count; s++) starts[s + 1] = starts[s] + segments[s];
        int groups = segments.Count;
        var mean = new float[groups * c];
        var invStd = new float[groups * c];
        Parallelism.For(c, n, ch =>
        {
            double meanOfMeans = 0, meanOfVars = 0;
            for (int s = 0; s < groups; s++)
            {
                int count = segments[s];
                double sum = 0;
                for (int b = starts[s]; b < starts[s + 1]; b++) sum += Data[b * c + ch];
                double mu = sum / count, ss = 0;
                for (int b = starts[s]; b < starts[s + 1]; b++) ss += (Data[b * c + ch] - mu) * (Data[b * c + ch] - mu);
                double variance = ss / count;
                mean[s * c + ch] = (float)mu;
                invStd[s * c + ch] = (float)(1.0 / Math.Sqrt(variance + epsilon));
                meanOfMeans += mu / groups;
                meanOfVars += variance * count / (count - 1) / groups;
            }
            runningMean[ch] = (1 - momentum) * runningMean[ch] + momentum * (float)meanOfMeans;
            runningVar[ch] = (1 - momentum) * runningVar[ch] + momentum * (float)meanOfVars;
        });
        var y = Empty(Shape);
        for (int s = 0; s < groups; s++)
            for (int b = starts[s]; b < starts[s + 1]; b++)
                for (int ch = 0; ch < c; ch++)
                {
                    float a = (scale?.Data[ch] ?? 1f) * invStd[s * c + ch];
                    y.Data[b * c + ch] = a * (Data[b * c + ch] - mean[s * c + ch]) + (offset?.Data[ch] ?? 0f);
                }
        return Node(y, AndAffine(scale, offset), dy => Parallelism.For(c, n, ch =>
        {
            for (int s = 0; s < groups; s++)
            {
                int count = segments[s];
                float mu = mean[s * c + ch], inv = invStd[s * c + ch];
                double sumDy = 0, sumDyXhat = 0;
                for (int b = starts[s]; b < starts[s + 1]; b++)
                {
                    sumDy += dy[b * c + ch];
                    sumDyXhat += dy[b * c + ch] * (Data[b * c + ch] - mu) * inv;
                }
                if (scale is { RequiresGrad: true }) scale.Grad![ch] += (float)sumDyXhat;
                if (offset is { RequiresGrad: true }) offset.Grad![ch] += (float)sumDy;
                if (!RequiresGrad) continue;
                float k = (scale?.Data[ch] ?? 1f) * inv, meanDy = (float)(sumDy / count), meanDyXhat = (float)(sumDyXhat / count);
                for (int b = starts[s]; b < starts[s + 1]; b++)
                    Grad![b * c + ch] += k * (dy[b * c + ch] - meanDy - (Data[b * c + ch] - mu) * inv * meanDyXhat);
            }
        }));
    }
}
