using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Disentangle.Tensors;

public sealed partial class Tensor
{
    /// <summary>Max pooling over kernel×kernel windows: (N, C, H, W) → (N, C, Ho, Wo); padding counts as −∞.</summary>
    /// <remarks>Ties go to the first maximum in row-major window order, which alone receives the gradient.</remarks>
    /// <param name="kernel">Window side.</param>
    /// <param name="stride">Step; defaults to <paramref name="kernel"/>.</param>
    /// <param name="padding">Padding on every side.</param>
    /// <exception cref="ArgumentException">The input is not rank 4, or the window does not fit.</exception>
    public Tensor MaxPool2d(int kernel, int? stride = null, int padding = 0)
    {
        var w = PoolWindow("MaxPool2d", kernel, stride ?? kernel, padding);
        int planes = Shape[0] * Shape[1], hw = w.Height * w.Width, ho = w.OutHeight, wo = w.OutWidth;
        var y = Uninitialized([Shape[0], Shape[1], ho, wo]);                 // every window writes its output
        var argmax = GC.AllocateUninitializedArray<int>(y.Length);          // flat input index of each output's maximum
        bool halving = w is { KernelHeight: 2, KernelWidth: 2, Stride: 2 } && w.Padding == default;   // Conv4's and ResNet-12's pools
        Parallelism.For(planes, hw, plane =>
        {
            int inBase = plane * hw, outBase = plane * ho * wo;
            if (halving)
            {
                MaxPoolHalving(Data, inBase, w.Width, y.Data, argmax, outBase, ho, wo);
                return;
            }
            for (int oh = 0; oh < ho; oh++)
                for (int ow = 0; ow < wo; ow++)
                {
                    float best = float.NegativeInfinity;
                    int at = -1;
                    for (int i = 0; i < w.KernelHeight; i++)
                    {
                        int ih = oh * w.Stride - w.Padding.Top + i;
                        if ((uint)ih >= (uint)w.Height) continue;
                        for (int j = 0; j < w.KernelWidth; j++)
                        {
                            int iw = ow * w.Stride - w.Padding.Left + j;
                            if ((uint)iw >= (uint)w.Width) continue;
                            float v = Data[inBase + ih * w.Width + iw];
                            if (v > best || at < 0) { best = v; at = inBase + ih * w.Width + iw; }
                        }
                    }
                    y.Data[outBase + oh * wo + ow] = best;
                    argmax[outBase + oh * wo + ow] = at;
                }
        });
        int perPlane = ho * wo;
        return Node(y, [this], dy => Parallelism.For(planes, perPlane, plane =>   // ∂x[argmax] += dy (planes are disjoint)
        {
            var g = Grad!;
            for (int i = plane * perPlane; i < (plane + 1) * perPlane; i++) g[argmax[i]] += dy[i];
        }));
    }

    /// <summary>2×2 windows, stride 2, no padding (every window inside the plane): the same maxima and ties as the general
    /// loop (the first maximum in row-major order), without its bounds checks.</summary>
    private static void MaxPoolHalving(float[] x, int inBase, int width, float[] y, int[] argmax, int outBase, int ho, int wo)
    {
        for (int oh = 0; oh < ho; oh++)
        {
            int row = inBase + 2 * oh * width, o = outBase + oh * wo, ow = 0;
            if (Avx512F.IsSupported)
                for (; ow + 16 <= wo; ow += 16) MaxPoolSixteen(x, row + 2 * ow, width, y, argmax, o + ow);
            for (; ow < wo; ow++)
            {
                int i = row + 2 * ow, at = i;
                float best = x[i];
                if (x[i + 1] > best) { best = x[i + 1]; at = i + 1; }
                if (x[i + width] > best) { best = x[i + width]; at = i + width; }
                if (x[i + width + 1] > best) { best = x[i + width + 1]; at = i + width + 1; }
                y[o + ow] = best;
                argmax[o + ow] = at;
            }
        }
    }

    /// <summary>The scalar loop's 16 windows from the 32 columns at <paramref name="i"/> of a row and the row below, bit
    /// for bit: the same strict comparisons in the same order (NaN and tie handling included), as selects in AVX-512.</summary>
    private static void MaxPoolSixteen(float[] x, int i, int width, float[] y, int[] argmax, int o)
    {
        ref float start = ref FirstOf(x);
        var (v0, v1, v2, v3) = WindowValues(Vector512.LoadUnsafe(ref start, (nuint)i), Vector512.LoadUnsafe(ref start, (nuint)(i + 16)),
            Vector512.LoadUnsafe(ref start, (nuint)(i + width)), Vector512.LoadUnsafe(ref start, (nuint)(i + width + 16)));
        Vector512<float> best = v0;
        Vector512<int> at = Vector512<int>.Zero;
        TakeLarger(ref best, ref at, v1, 1);
        TakeLarger(ref best, ref at, v2, width);
        TakeLarger(ref best, ref at, v3, width + 1);
        best.StoreUnsafe(ref FirstOf(y), (nuint)o);
        (Vector512.Create(i) + EvenLanes + at).StoreUnsafe(ref FirstOf(argmax), (nuint)o);
    }

    /// <summary>The even lanes of two 16-float vectors side by side (the left columns of 16 windows).</summary>
    private static readonly Vector512<int> EvenLanes = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);

    /// <summary>16 consecutive 2×2 windows' values from 32 columns of two rows (each split in its left and right 16): the
    /// windows' top-left, top-right, bottom-left and bottom-right values, in window order.</summary>
    private static (Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>) WindowValues(
        Vector512<float> upperLeft, Vector512<float> upperRight, Vector512<float> lowerLeft, Vector512<float> lowerRight)
    {
        var oddLanes = EvenLanes + Vector512<int>.One;
        return (Avx512F.PermuteVar16x32x2(upperLeft, EvenLanes, upperRight), Avx512F.PermuteVar16x32x2(upperLeft, oddLanes, upperRight),
            Avx512F.PermuteVar16x32x2(lowerLeft, EvenLanes, lowerRight), Avx512F.PermuteVar16x32x2(lowerLeft, oddLanes, lowerRight));
    }

    private static ref T FirstOf<T>(T[] array) => ref MemoryMarshal.GetArrayDataReference(array);

    /// <summary>Where <paramref name="value"/> &gt; <paramref name="best"/> (a strict, ordered comparison: the scalar
    /// loop's <c>if</c>), it becomes the best and <paramref name="offset"/> its place.</summary>
    private static void TakeLarger(ref Vector512<float> best, ref Vector512<int> at, Vector512<float> value, int offset)
    {
        var larger = Vector512.GreaterThan(value, best);
        best = Vector512.ConditionalSelect(larger, value, best);
        at = Vector512.ConditionalSelect(larger.AsInt32(), Vector512.Create(offset), at);
    }

    /// <summary>Average pooling over kernel×kernel windows; zero padding is counted in the average (PyTorch's default).</summary>
    /// <inheritdoc cref="MaxPool2d" path="/param"/>
    /// <exception cref="ArgumentException">The input is not rank 4, or the window does not fit.</exception>
    public Tensor AvgPool2d(int kernel, int? stride = null, int padding = 0)
    {
        var w = PoolWindow("AvgPool2d", kernel, stride ?? kernel, padding);
        int planes = Shape[0] * Shape[1], hw = w.Height * w.Width, ho = w.OutHeight, wo = w.OutWidth;
        float scale = 1f / (w.KernelHeight * w.KernelWidth);
        var y = Uninitialized([Shape[0], Shape[1], ho, wo]);                 // every window writes its output
        Parallelism.For(planes, hw, plane => AvgPlane(w, Data.AsSpan(plane * hw, hw), y.Data.AsSpan(plane * ho * wo, ho * wo), scale, forward: true));
        return Node(y, [this], dy => Parallelism.For(planes, hw, plane =>
            AvgPlane(w, Grad.AsSpan(plane * hw, hw), dy.AsSpan(plane * ho * wo, ho * wo), scale, forward: false)));
    }

    /// <summary>forward: out = scale·Σ_window x ; backward: x[window] += scale·out (the adjoint).</summary>
    private static void AvgPlane(in Window w, Span<float> x, Span<float> output, float scale, bool forward)
    {
        for (int oh = 0; oh < w.OutHeight; oh++)
            for (int ow = 0; ow < w.OutWidth; ow++)
            {
                int jLo = Math.Max(0, w.Padding.Left - ow * w.Stride), jHi = Math.Min(w.KernelWidth, w.Width + w.Padding.Left - ow * w.Stride);
                int o = oh * w.OutWidth + ow;
                float sum = 0f, share = scale * output[o];
                for (int i = 0; i < w.KernelHeight; i++)
                {
                    int ih = oh * w.Stride - w.Padding.Top + i;
                    if ((uint)ih >= (uint)w.Height || jLo >= jHi) continue;
                    var row = x.Slice(ih * w.Width + ow * w.Stride - w.Padding.Left + jLo, jHi - jLo);
                    if (forward) sum += TensorPrimitives.Sum(row);
                    else TensorPrimitives.Add(row, share, row);
                }
                if (forward) output[o] = scale * sum;
            }
    }

    private Window PoolWindow(string op, int kernel, int stride, int padding)
    {
        if (Rank != 4) throw Error(op, $"input {Format(Shape)} must be (N, C, H, W).");
        if (padding < 0 || 2 * padding > kernel)
            throw new ArgumentOutOfRangeException(nameof(padding), $"{op}: padding {padding} must be in [0, kernel/2] for kernel {kernel}.");
        return CheckedWindow(op, kernel, kernel, stride, Padding2d.Symmetric(padding));
    }
}
