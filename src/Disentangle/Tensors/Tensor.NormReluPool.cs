using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Disentangle.Tensors;

public sealed partial class Tensor
{
    /// <summary><c>BatchNorm(…).Relu().MaxPool2d(2)</c> as one op (a Conv-4 block after its convolution): the same values,
    /// bit for bit, and the same gradients up to float rounding, with one pass over the (N, C, H, W) input instead of
    /// three and without the two full-size intermediate arrays and their gradients.</summary>
    /// <remarks>Batch statistics and running-statistic updates are <see cref="BatchNorm"/>'s. Pooling takes 2×2 windows at
    /// stride 2 (a last odd row or column is dropped) and ties go to the first maximum in row-major order, as
    /// <see cref="MaxPool2d"/>. Backward: the normalised value under each positive output receives its gradient (a zero
    /// output means all four ReLUs were off), and batch norm's backward spreads it over the channel.</remarks>
    /// <inheritdoc cref="BatchNorm" path="/param"/>
    /// <exception cref="ArgumentException">The input is not (N, C, H, W) with H, W ≥ 2, parameter lengths differ from C,
    /// or a training batch has one value per channel.</exception>
    public Tensor BatchNormReluMaxPool(Tensor? scale, Tensor? offset, float[] runningMean, float[] runningVar, bool training,
        float momentum = 0.1f, float epsilon = 1e-5f)
    {
        if (Rank != 4 || Shape[2] < 2 || Shape[3] < 2)
            throw Error("BatchNormReluMaxPool", $"input {Format(Shape)} must be (N, C, H, W) with H, W ≥ 2.");
        var (mean, invStd) = ChannelStatistics("BatchNormReluMaxPool", scale, offset, runningMean, runningVar, training, momentum, epsilon);
        int n = Shape[0], c = Shape[1], height = Shape[2], width = Shape[3], ho = height / 2, wo = width / 2, inner = height * width;
        var y = Uninitialized([n, c, ho, wo]);                 // every window writes its output
        var argmax = GC.AllocateUninitializedArray<int>(y.Length);   // flat input index of each output's maximum
        Parallelism.For(n * c, inner, plane =>
        {
            int ch = plane % c;
            float a = (scale?.Data[ch] ?? 1f) * invStd[ch], b = (offset?.Data[ch] ?? 0f) - a * mean[ch];
            var x = Data;
            for (int oh = 0; oh < ho; oh++)
            {
                int row = plane * inner + 2 * oh * width, o = (plane * ho + oh) * wo, ow = 0;
                if (Avx512F.IsSupported)
                    for (; ow + 16 <= wo; ow += 16) NormReluPoolSixteen(x, row + 2 * ow, width, a, b, y.Data, argmax, o + ow);
                for (; ow < wo; ow++)
                {
                    int i = row + 2 * ow;
                    // BatchNorm's y = x·a + b (two roundings, as its Multiply then Add), then ReLU; the window's first
                    // maximum without branches (they mispredict on activations): the larger of each row's pair, then of the rows
                    float v0 = MathF.Max(x[i] * a + b, 0f), v1 = MathF.Max(x[i + 1] * a + b, 0f);
                    float v2 = MathF.Max(x[i + width] * a + b, 0f), v3 = MathF.Max(x[i + width + 1] * a + b, 0f);
                    float top = MathF.Max(v0, v1), bottom = MathF.Max(v2, v3);
                    int topAt = v1 > v0 ? 1 : 0, bottomAt = v3 > v2 ? width + 1 : width;
                    float best = MathF.Max(top, bottom);
                    int at = i + (bottom > top ? bottomAt : topAt);
                    y.Data[o + ow] = best;
                    argmax[o + ow] = at;
                }
            }
        });
        return Node(y, AndAffine(scale, offset), dy => BatchNormReluMaxPoolBackward(scale, offset, mean, invStd, training, y.Data, argmax, dy, n, c, inner));
    }

    /// <summary>The scalar loop's sixteen outputs from the 32 columns at <paramref name="i"/> of a row and the row below,
    /// bit for bit: the same roundings and maxima in AVX-512, each row's pairs split into even and odd columns.</summary>
    private static void NormReluPoolSixteen(float[] x, int i, int width, float a, float b, float[] y, int[] argmax, int o)
    {
        Vector512<float> scale = Vector512.Create(a), shift = Vector512.Create(b);
        Vector512<float> upperLeft = Activation(x, i, scale, shift), upperRight = Activation(x, i + 16, scale, shift);
        Vector512<float> lowerLeft = Activation(x, i + width, scale, shift), lowerRight = Activation(x, i + width + 16, scale, shift);
        var (v0, v1, v2, v3) = WindowValues(upperLeft, upperRight, lowerLeft, lowerRight);
        Vector512<float> top = Vector512.Max(v0, v1), bottom = Vector512.Max(v2, v3);
        var topAt = Vector512.GreaterThan(v1, v0).AsInt32() & Vector512<int>.One;
        var bottomAt = Vector512.Create(width) + (Vector512.GreaterThan(v3, v2).AsInt32() & Vector512<int>.One);
        var at = Vector512.Create(i) + EvenLanes + Vector512.ConditionalSelect(Vector512.GreaterThan(bottom, top).AsInt32(), bottomAt, topAt);
        Vector512.Max(top, bottom).StoreUnsafe(ref FirstOf(y), (nuint)o);
        at.StoreUnsafe(ref FirstOf(argmax), (nuint)o);
    }

    /// <summary>ReLU(x·scale + shift) of the 16 values at <paramref name="at"/> (two roundings, as BatchNorm's Multiply then Add).</summary>
    private static Vector512<float> Activation(float[] x, int at, Vector512<float> scale, Vector512<float> shift) =>
        Vector512.Max(Vector512.LoadUnsafe(ref FirstOf(x), (nuint)at) * scale + shift, Vector512<float>.Zero);

    /// <summary>d = ∂L/∂(normalised value) is dy at the maximum under each positive output and 0 elsewhere; with
    /// x̂ = (x − μ)/σ: ∂γ += Σ d x̂, ∂β += Σ d; training: ∂x += (γ/σ)(d − mean(d) − x̂·mean(d x̂)); evaluation: ∂x += (γ/σ) d.</summary>
    /// <remarks>Without branches on the ReLU (they mispredict): an output that is off contributes a d of 0 at its first
    /// window position. Each plane's dense term and its maxima are added while the plane is in cache.</remarks>
    private void BatchNormReluMaxPoolBackward(Tensor? scale, Tensor? offset, float[] mean, float[] invStd, bool training,
        float[] y, int[] argmax, float[] dy, int n, int c, int inner)
    {
        int count = n * inner, outputs = y.Length / (n * c);
        Parallelism.For(c, count, ch =>
        {
            double sumDy = 0, sumDyXhat = 0;
            float mu = mean[ch], inv = invStd[ch];
            var x = Data;
            for (int b = 0; b < n; b++)
                for (int o = (b * c + ch) * outputs, end = o + outputs; o < end; o++)
                {
                    float d = Gated(dy[o], y[o]);
                    sumDy += d;
                    sumDyXhat += d * (x[argmax[o]] - mu) * inv;
                }
            if (scale is { RequiresGrad: true }) scale.Grad![ch] += (float)sumDyXhat;
            if (offset is { RequiresGrad: true }) offset.Grad![ch] += (float)sumDy;
            if (!RequiresGrad) return;
            float k = (scale?.Data[ch] ?? 1f) * inv;
            // training: ∂x += k·x̂·(−mean(d x̂)) − k·mean(d) everywhere, i.e. x·slope + intercept
            float slope = -k * inv * (float)(sumDyXhat / count), intercept = -k * (float)(sumDy / count) - slope * mu;
            var g = Grad!;
            for (int b = 0; b < n; b++)
            {
                int plane = (b * c + ch) * inner;
                if (training) AddAffine(x.AsSpan(plane, inner), slope, intercept, g.AsSpan(plane, inner));
                for (int o = (b * c + ch) * outputs, end = o + outputs; o < end; o++)   // ∂x += k·d at the maxima
                    g[argmax[o]] += k * Gated(dy[o], y[o]);
            }
        });
    }

    /// <summary><paramref name="value"/> where <paramref name="output"/> (a ReLU's, ≥ 0 or NaN) is not 0, else 0, without a branch.</summary>
    private static float Gated(float value, float output) =>
        BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(value) & -(BitConverter.SingleToInt32Bits(output) > 0 ? 1 : 0));

    /// <summary>g += x·slope + intercept.</summary>
    private static void AddAffine(ReadOnlySpan<float> x, float slope, float intercept, Span<float> g)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (var s = new Vector<float>(slope); i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x[i..]) * s + new Vector<float>(intercept) + new Vector<float>(g[i..]);
                v.CopyTo(g[i..]);
            }
        for (; i < x.Length; i++) g[i] += x[i] * slope + intercept;
    }
}
