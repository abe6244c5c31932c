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
                if (Avx512F.IsSupported && wo == 8 && oh + 1 < ho)   // two rows of 8 windows, next to each other in y
                {
                    NormReluPoolSixteen(x, row, width, 2 * width, a, b, y.Data, argmax, o);
                    oh++;
                    continue;
                }
                if (Avx512F.IsSupported)
                    for (; ow + 16 <= wo; ow += 16) NormReluPoolSixteen(x, row + 2 * ow, width, 16, a, b, y.Data, argmax, o + ow);
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

    /// <summary>The scalar loop's sixteen outputs, bit for bit: the same roundings and maxima in AVX-512, each row's pairs
    /// split into even and odd columns. The windows' top rows are the 16 columns at <paramref name="i"/> and the 16 at
    /// <c>i + right</c> (<paramref name="right"/> = 16: 16 windows of one row; 2 × width: 8 windows of two rows).</summary>
    private static void NormReluPoolSixteen(float[] x, int i, int width, int right, float a, float b, float[] y, int[] argmax, int o)
    {
        Vector512<float> scale = Vector512.Create(a), shift = Vector512.Create(b);
        Vector512<float> upperLeft = Activation(x, i, scale, shift), upperRight = Activation(x, i + right, scale, shift);
        Vector512<float> lowerLeft = Activation(x, i + width, scale, shift), lowerRight = Activation(x, i + width + right, scale, shift);
        var (v0, v1, v2, v3) = WindowValues(upperLeft, upperRight, lowerLeft, lowerRight);
        Vector512<float> top = Vector512.Max(v0, v1), bottom = Vector512.Max(v2, v3);
        var topAt = Vector512.GreaterThan(v1, v0).AsInt32() & Vector512<int>.One;
        var bottomAt = Vector512.Create(width) + (Vector512.GreaterThan(v3, v2).AsInt32() & Vector512<int>.One);
        var at = WindowStarts(i, right) + Vector512.ConditionalSelect(Vector512.GreaterThan(bottom, top).AsInt32(), bottomAt, topAt);
        Vector512.Max(top, bottom).StoreUnsafe(ref FirstOf(y), (nuint)o);
        at.StoreUnsafe(ref FirstOf(argmax), (nuint)o);
    }

    /// <summary>The flat index of each of the sixteen windows' top-left value (see <see cref="NormReluPoolSixteen"/>).</summary>
    private static Vector512<int> WindowStarts(int i, int right) =>
        Vector512.Create(i) + EvenLanes + (Vector512.Create(right - 16) & UpperHalf);

    private static readonly Vector512<int> UpperHalf = Vector512.Create(0, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1);

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
        int count = n * inner, outputs = y.Length / (n * c), height = Shape[2], width = Shape[3], ho = height / 2, wo = width / 2;
        // AVX-512 where the windows tile each plane in blocks of sixteen: one row (wo a multiple of 16) or two rows of 8
        int right = !Avx512F.IsSupported || height != 2 * ho || width != 2 * wo ? 0 : wo % 16 == 0 ? 16 : wo == 8 && ho % 2 == 0 ? 2 * width : 0;
        Parallelism.For(c, count, ch =>
        {
            double sumDy = 0, sumDyXhat = 0;
            float mu = mean[ch], inv = invStd[ch];
            var x = Data;
            if (right > 0) (sumDy, sumDyXhat) = WindowSums(x, y, argmax, dy, n, c, ch, inner, width, right, mu, inv);
            else
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
                if (right > 0)
                {
                    for (int block = 0, o = (b * c + ch) * outputs; block < inner / 64; block++, o += 16)
                        WindowGradientSixteen(x, g, WindowBlock(plane, block, width, right), width, right, training, slope, intercept, k, dy, y, argmax, o);
                    continue;
                }
                if (training) AddAffine(x.AsSpan(plane, inner), slope, intercept, g.AsSpan(plane, inner));
                for (int o = (b * c + ch) * outputs, end = o + outputs; o < end; o++)   // ∂x += k·d at the maxima
                    g[argmax[o]] += k * Gated(dy[o], y[o]);
            }
        });
    }

    /// <summary>The first input index of block <paramref name="block"/> of sixteen windows of a plane, in output order (see
    /// <see cref="NormReluPoolSixteen"/>; the windows tile the plane, <c>inner / 64</c> blocks).</summary>
    private static int WindowBlock(int plane, int block, int width, int right) =>
        right == 16 ? plane + block / (width / 32) * 2 * width + block % (width / 32) * 32 : plane + block * 4 * width;

    /// <summary>Σ d and Σ d·x̂ over channel <paramref name="ch"/> (d: the gated ∂y; x̂ at each window's maximum) in AVX-512,
    /// sixteen windows at a time, summed in double per lane.</summary>
    private static (double SumDy, double SumDyXhat) WindowSums(float[] x, float[] y, int[] argmax, float[] dy, int n, int c, int ch,
        int inner, int width, int right, float mu, float inv)
    {
        Vector512<double> dyLow = default, dyHigh = default, dxLow = default, dxHigh = default;
        for (int b = 0; b < n; b++)
        {
            int plane = (b * c + ch) * inner;
            for (int block = 0, o = (b * c + ch) * (inner / 4); block < inner / 64; block++, o += 16)
            {
                int at = WindowBlock(plane, block, width, right);
                var d = GatedSixteen(dy, y, o);
                var atMaximum = ValueAtMaximum(x, at, width, right, Vector512.LoadUnsafe(ref FirstOf(argmax), (nuint)o));
                var term = d * (atMaximum - Vector512.Create(mu)) * Vector512.Create(inv);
                dyLow += Avx512F.ConvertToVector512Double(d.GetLower());
                dyHigh += Avx512F.ConvertToVector512Double(d.GetUpper());
                dxLow += Avx512F.ConvertToVector512Double(term.GetLower());
                dxHigh += Avx512F.ConvertToVector512Double(term.GetUpper());
            }
        }
        return (Vector512.Sum(dyLow + dyHigh), Vector512.Sum(dxLow + dxHigh));
    }

    /// <summary>∂y where the sixteen outputs at <paramref name="o"/> are not 0, else 0 (<see cref="Gated"/> per lane).</summary>
    private static Vector512<float> GatedSixteen(float[] dy, float[] y, int o) =>
        (Vector512.LoadUnsafe(ref FirstOf(dy), (nuint)o).AsInt32()
            & Vector512.GreaterThan(Vector512.LoadUnsafe(ref FirstOf(y), (nuint)o).AsInt32(), Vector512<int>.Zero)).AsSingle();

    /// <summary>x at each of sixteen windows' maximum (<paramref name="argmax"/>), read from the windows' rows.</summary>
    private static Vector512<float> ValueAtMaximum(float[] x, int at, int width, int right, Vector512<int> argmax)
    {
        ref float start = ref FirstOf(x);
        var (v0, v1, v2, v3) = WindowValues(Vector512.LoadUnsafe(ref start, (nuint)at), Vector512.LoadUnsafe(ref start, (nuint)(at + right)),
            Vector512.LoadUnsafe(ref start, (nuint)(at + width)), Vector512.LoadUnsafe(ref start, (nuint)(at + width + right)));
        var place = argmax - WindowStarts(at, right);   // 0, 1, width or width + 1
        var top = Vector512.ConditionalSelect(Vector512.Equals(place, Vector512<int>.One).AsSingle(), v1, v0);
        var bottom = Vector512.ConditionalSelect(Vector512.Equals(place, Vector512.Create(width + 1)).AsSingle(), v3, v2);
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(place, Vector512.Create(width)).AsSingle(), bottom, top);
    }

    /// <summary>The scalar backward's ∂x over sixteen windows' rows, bit for bit: ∂x += x·slope + intercept (training),
    /// then ∂x += k·d at each window's maximum.</summary>
    private static void WindowGradientSixteen(float[] x, float[] g, int at, int width, int right, bool training, float slope, float intercept,
        float k, float[] dy, float[] y, int[] argmax, int o)
    {
        var kd = Vector512.Create(k) * GatedSixteen(dy, y, o);
        var place = Vector512.LoadUnsafe(ref FirstOf(argmax), (nuint)o) - WindowStarts(at, right);
        var zero = Vector512<float>.Zero;
        var (topLeft, topRight) = (Vector512.Equals(place, Vector512<int>.Zero).AsSingle(), Vector512.Equals(place, Vector512<int>.One).AsSingle());
        var (bottomLeft, bottomRight) = (Vector512.Equals(place, Vector512.Create(width)).AsSingle(), Vector512.Equals(place, Vector512.Create(width + 1)).AsSingle());
        AddToRow(x, g, at, at + right, training, slope, intercept, kd & topLeft, kd & topRight, topLeft, topRight);
        AddToRow(x, g, at + width, at + width + right, training, slope, intercept, kd & bottomLeft, kd & bottomRight, bottomLeft, bottomRight);
    }

    /// <summary>One row of sixteen windows (its columns at <paramref name="left"/> and <paramref name="right"/>): the dense
    /// term, then the even columns' <paramref name="even"/> and the odd columns' <paramref name="odd"/> where their masks are set.</summary>
    private static void AddToRow(float[] x, float[] g, int left, int right, bool training, float slope, float intercept,
        Vector512<float> even, Vector512<float> odd, Vector512<float> evenMask, Vector512<float> oddMask)
    {
        AddToColumns(x, g, left, training, slope, intercept, Avx512F.PermuteVar16x32x2(even, InterleaveLower, odd),
            Avx512F.PermuteVar16x32x2(evenMask, InterleaveLower, oddMask));
        AddToColumns(x, g, right, training, slope, intercept, Avx512F.PermuteVar16x32x2(even, InterleaveUpper, odd),
            Avx512F.PermuteVar16x32x2(evenMask, InterleaveUpper, oddMask));
    }

    /// <summary>∂x at the 16 columns at <paramref name="at"/>: += x·slope + intercept (training), then += <paramref name="add"/>
    /// where <paramref name="mask"/> is set.</summary>
    private static void AddToColumns(float[] x, float[] g, int at, bool training, float slope, float intercept, Vector512<float> add, Vector512<float> mask)
    {
        ref float gs = ref FirstOf(g);
        var gv = Vector512.LoadUnsafe(ref gs, (nuint)at);
        if (training) gv = Vector512.LoadUnsafe(ref FirstOf(x), (nuint)at) * Vector512.Create(slope) + Vector512.Create(intercept) + gv;
        Vector512.ConditionalSelect(mask, gv + add, gv).StoreUnsafe(ref gs, (nuint)at);
    }

    /// <summary>Lanes 0–7 of two vectors interleaved (the inverse of <see cref="EvenLanes"/> for the left 16 columns).</summary>
    private static readonly Vector512<int> InterleaveLower = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);

    /// <summary>Lanes 8–15 of two vectors interleaved (the right 16 columns).</summary>
    private static readonly Vector512<int> InterleaveUpper = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);

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
