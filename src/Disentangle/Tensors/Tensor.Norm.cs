using System.Buffers;
using System.Numerics.Tensors;

namespace Disentangle.Tensors;

public sealed partial class Tensor
{
    /// <summary>Batch normalisation over axis 1 of (N, C) or (N, C, H, W): <c>y = γ (x − μ)/√(σ² + ε) + β</c>.</summary>
    /// <remarks>Training: μ, σ² are the biased batch statistics per channel, and the running statistics are updated in
    /// place: <c>r_μ ← (1 − m) r_μ + m μ</c>, <c>r_σ² ← (1 − m) r_σ² + m σ²·n/(n − 1)</c> (unbiased, as PyTorch), with
    /// n = N·H·W. Evaluation: μ, σ² are the running statistics (treated as constants). γ and β are optional (null means
    /// 1 and 0: the normalisation "without scale/offset").</remarks>
    /// <param name="scale">γ, shape (C), or null.</param>
    /// <param name="offset">β, shape (C), or null.</param>
    /// <param name="runningMean">Running mean, length C (updated when training).</param>
    /// <param name="runningVar">Running variance, length C (updated when training).</param>
    /// <param name="training">Use batch statistics and update the running ones.</param>
    /// <param name="momentum">m above (PyTorch's momentum; a decay of 0.9 is m = 0.1).</param>
    /// <param name="epsilon">ε above.</param>
    /// <exception cref="ArgumentException">Rank not 2 or 4, parameter lengths differ from C, or a training batch has one value per channel.</exception>
    public Tensor BatchNorm(Tensor? scale, Tensor? offset, float[] runningMean, float[] runningVar, bool training,
        float momentum = 0.1f, float epsilon = 1e-5f)
    {
        var (mean, invStd) = ChannelStatistics("BatchNorm", scale, offset, runningMean, runningVar, training, momentum, epsilon);
        int n = Shape[0], c = Shape[1], inner = Rank == 4 ? Shape[2] * Shape[3] : 1;
        var y = Uninitialized(Shape);   // every plane is written
        Parallelism.For(n * c, inner, plane =>                                      // y = γ x̂ + β, x̂ = (x − μ)/σ
        {
            int ch = plane % c;
            float a = (scale?.Data[ch] ?? 1f) * invStd[ch], b = (offset?.Data[ch] ?? 0f) - a * mean[ch];
            var dst = y.Data.AsSpan(plane * inner, inner);
            TensorPrimitives.Multiply(Data.AsSpan(plane * inner, inner), a, dst);
            TensorPrimitives.Add(dst, b, dst);
        });
        return Node(y, AndAffine(scale, offset), dy => BatchNormBackward(scale, offset, mean, invStd, training, dy, n, c, inner));
    }

    /// <summary>This input and the normalisation's γ and β where given: the parents of a batch-norm node.</summary>
    private Tensor[] AndAffine(Tensor? scale, Tensor? offset) =>
        [this, .. scale is null ? Array.Empty<Tensor>() : [scale], .. offset is null ? Array.Empty<Tensor>() : [offset]];

    /// <summary>The per-channel μ and 1/√(σ² + ε) that <see cref="BatchNorm"/> normalises with (batch statistics when
    /// training, which also updates the running ones; else the running statistics), after checking the arguments.</summary>
    private (float[] Mean, float[] InvStd) ChannelStatistics(string op, Tensor? scale, Tensor? offset, float[] runningMean, float[] runningVar,
        bool training, float momentum, float epsilon)
    {
        ArgumentNullException.ThrowIfNull(runningMean);
        ArgumentNullException.ThrowIfNull(runningVar);
        if (Rank != 2 && Rank != 4) throw Error(op, $"input {Format(Shape)} must be (N, C) or (N, C, H, W).");
        int n = Shape[0], c = Shape[1], inner = Rank == 4 ? Shape[2] * Shape[3] : 1, count = n * inner;
        foreach (var (name, len) in new[] { ("scale", scale?.Length ?? c), ("offset", offset?.Length ?? c), ("runningMean", runningMean.Length), ("runningVar", runningVar.Length) })
            if (len != c) throw Error(op, $"{name} has length {len} but input {Format(Shape)} has {c} channels.", name);
        if (training && count < 2) throw Error(op, $"training needs more than one value per channel; input is {Format(Shape)}.");
        var mean = new float[c];
        var invStd = new float[c];
        Parallelism.For(c, count, ch =>
        {
            double mu, var;
            if (training)
            {
                double s = 0;
                for (int b = 0; b < n; b++) s += SumSpan(Data.AsSpan((b * c + ch) * inner, inner));
                mu = s / count;
                double ss = 0;
                if (inner == 1)
                    for (int b = 0; b < n; b++) ss += (Data[b * c + ch] - mu) * (Data[b * c + ch] - mu);
                else
                {
                    var centred = ArrayPool<float>.Shared.Rent(inner);
                    for (int b = 0; b < n; b++)                                   // per plane in float SIMD, across planes in double
                    {
                        TensorPrimitives.Subtract(Data.AsSpan((b * c + ch) * inner, inner), (float)mu, centred.AsSpan(0, inner));
                        ss += TensorPrimitives.SumOfSquares(centred.AsSpan(0, inner));
                    }
                    ArrayPool<float>.Shared.Return(centred);
                }
                var = ss / count;
                runningMean[ch] = (1 - momentum) * runningMean[ch] + momentum * (float)mu;
                runningVar[ch] = (1 - momentum) * runningVar[ch] + momentum * (float)(var * count / (count - 1));
            }
            else { mu = runningMean[ch]; var = runningVar[ch]; }
            mean[ch] = (float)mu;
            invStd[ch] = (float)(1.0 / Math.Sqrt(var + epsilon));
        });
        return (mean, invStd);
    }

    /// <summary>With x̂ = (x − μ)/σ: ∂γ += Σ dy x̂, ∂β += Σ dy; training: ∂x += (γ/σ)(dy − mean(dy) − x̂·mean(dy x̂));
    /// evaluation: ∂x += (γ/σ) dy.</summary>
    private void BatchNormBackward(Tensor? scale, Tensor? offset, float[] mean, float[] invStd, bool training, float[] dy, int n, int c, int inner)
    {
        int count = n * inner;
        Parallelism.For(c, count, ch =>
        {
            double sumDy = 0, sumDyXhat = 0;
            float mu = mean[ch], inv = invStd[ch];
            var centred = inner > 1 ? ArrayPool<float>.Shared.Rent(inner) : null;
            for (int b = 0; b < n; b++)
            {
                int o = (b * c + ch) * inner;
                if (centred is null) { sumDy += dy[o]; sumDyXhat += dy[o] * (Data[o] - mu) * inv; continue; }
                var plane = centred.AsSpan(0, inner);                      // per plane in float SIMD, across planes in double
                TensorPrimitives.Subtract(Data.AsSpan(o, inner), mu, plane);
                sumDy += TensorPrimitives.Sum(dy.AsSpan(o, inner));
                sumDyXhat += TensorPrimitives.Dot(dy.AsSpan(o, inner), plane) * inv;
            }
            if (scale is { RequiresGrad: true }) scale.Grad![ch] += (float)sumDyXhat;
            if (offset is { RequiresGrad: true }) offset.Grad![ch] += (float)sumDy;
            if (RequiresGrad)
            {
                float gamma = scale?.Data[ch] ?? 1f, k = gamma * inv;
                float meanDy = training ? (float)(sumDy / count) : 0f, meanDyXhat = training ? (float)(sumDyXhat / count) : 0f;
                var g = Grad!;
                for (int b = 0; b < n; b++)
                {
                    int o = (b * c + ch) * inner;
                    if (centred is null) { g[o] += k * (dy[o] - meanDy - (Data[o] - mu) * inv * meanDyXhat); continue; }
                    var plane = centred.AsSpan(0, inner);                  // ∂x += k·dy − k·mean(dy) − k·x̂·mean(dy x̂)
                    TensorPrimitives.Subtract(Data.AsSpan(o, inner), mu, plane);
                    TensorPrimitives.Multiply(plane, -k * inv * meanDyXhat, plane);
                    TensorPrimitives.MultiplyAdd(dy.AsSpan(o, inner), k, plane, plane);
                    TensorPrimitives.Add(plane, -k * meanDy, plane);
                    TensorPrimitives.Add(g.AsSpan(o, inner), plane, g.AsSpan(o, inner));
                }
            }
            if (centred is not null) ArrayPool<float>.Shared.Return(centred);
        });
    }

    /// <summary>Σ v in double: element by element for a single value per plane (the (N, C) case keeps its exact sums),
    /// else the plane's float SIMD sum.</summary>
    private static double SumSpan(ReadOnlySpan<float> v) => v.Length == 1 ? v[0] : TensorPrimitives.Sum(v);
}
