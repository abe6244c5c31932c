using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Disentangle.Tensors;

public sealed partial class Tensor
{
    [ThreadStatic] private static int convChunkOverride;

    /// <summary>Floats per column-matrix chunk: images are processed in chunks whose im2col matrix has about this many values
    /// (per calling thread, so a test can shrink it without affecting others; 0 restores the default).</summary>
    internal static int ConvChunkFloats
    {
        get => convChunkOverride > 0 ? convChunkOverride : 1 << 20;
        set => convChunkOverride = value;
    }

    /// <inheritdoc cref="Conv2d(Tensor, Tensor?, int, Padding2d)"/>
    public Tensor Conv2d(Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0)
        => Conv2d(weight, bias, stride, Padding2d.Symmetric(padding));

    /// <summary>2-D cross-correlation (PyTorch's conv2d): (N, C, H, W) ⋆ (O, C, kh, kw) + b → (N, O, Ho, Wo).</summary>
    /// <remarks>Through oneDNN when <see cref="Convolution.Current"/> says so (Tensor.ConvOneDnn.cs); otherwise per chunk of images: im2col (parallel over images), one GEMM <c>Y = W·col</c>, then the bias. Backward:
    /// <c>∂W += ∂Y·colᵀ</c> (col recomputed), <c>∂col = Wᵀ·∂Y</c> then col2im (parallel over images).
    /// <c>Ho = ⌊(H + top + bottom − kh)/s⌋ + 1</c>.</remarks>
    /// <param name="weight">Shape (O, C, kh, kw).</param>
    /// <param name="bias">Shape (O), or null.</param>
    /// <param name="stride">Step of the window, ≥ 1.</param>
    /// <param name="padding">Zero padding per side.</param>
    /// <exception cref="ArgumentException">Ranks, channel counts or bias length mismatch, or the padded input is smaller than the kernel.</exception>
    public Tensor Conv2d(Tensor weight, Tensor? bias, int stride, Padding2d padding) => Convolve(weight, bias, stride, padding, relu: false);

    /// <summary>max(Conv2d(x, w, b), 0) as one op: oneDNN applies the ReLU inside the convolution (a post-op), so the
    /// pre-activation is never stored; backward masks the gradient by the output's sign, then runs the convolution's.</summary>
    /// <inheritdoc cref="Conv2d(Tensor, Tensor?, int, Padding2d)" path="/param"/>
    /// <exception cref="ArgumentException">Ranks, channel counts or bias length mismatch, or the padded input is smaller than the kernel.</exception>
    public Tensor Conv2dRelu(Tensor weight, Tensor? bias, int stride, Padding2d padding) => Convolve(weight, bias, stride, padding, relu: true);

    private Tensor Convolve(Tensor weight, Tensor? bias, int stride, Padding2d padding, bool relu)
    {
        ArgumentNullException.ThrowIfNull(weight);
        var w = ConvWindow(weight, bias, stride, padding);
        Tensor[] parents = bias is null ? [this, weight] : [this, weight, bias];
        if (Shape[0] > 0 && Convolution.Current == ConvBackend.OneDnn && Conv2dOneDnnValues(weight, bias, w, relu, out var key) is { } fused)
            return Node(fused, parents, dy =>
            {
                if (relu) MaskByPositive(dy, fused.Data);
                Conv2dBackwardOneDnn(this, weight, bias, key, dy);
            });
        var y = Conv2dIm2ColValues(weight, bias, w);
        if (relu) Chunked(y.Length, (start, count) => TensorPrimitives.Max(y.Data.AsSpan(start, count), 0f, y.Data.AsSpan(start, count)));
        return Node(y, parents, dy =>
        {
            if (relu) MaskByPositive(dy, y.Data);
            Conv2dBackward(this, weight, bias, w, dy);
        });
    }

    /// <summary>dy ← dy where y &gt; 0, else 0 (in place: dy is the node's own gradient, released right after its backward).</summary>
    private static void MaskByPositive(float[] dy, float[] y) => Chunked(dy.Length, (start, count) => MaskByPositive(dy.AsSpan(start, count), y.AsSpan(start, count)));

    /// <summary>g ← g where v &gt; 0, else 0 (ReLU's backward given its output v).</summary>
    internal static void MaskByPositive(Span<float> g, ReadOnlySpan<float> v)
    {
        int i = 0;
        for (; i <= g.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var keep = Vector.GreaterThan(new Vector<float>(v[i..]), Vector<float>.Zero);
            Vector.ConditionalSelect(keep, new Vector<float>(g[i..]), Vector<float>.Zero).CopyTo(g[i..]);
        }
        for (; i < g.Length; i++) if (!(v[i] > 0f)) g[i] = 0f;
    }

    private Tensor Conv2dIm2ColValues(Tensor weight, Tensor? bias, Window w)
    {
        int n = Shape[0], o = weight.Shape[0], p = w.Pixels, kk = w.Patch;
        var y = Uninitialized([n, o, w.OutHeight, w.OutWidth]);   // every chunk copies its rows
        int chunk = ChunkImages(kk * p, n);
        var col = ArrayPool<float>.Shared.Rent(kk * chunk * p);
        var tmp = ArrayPool<float>.Shared.Rent(o * chunk * p);
        try
        {
            for (int b0 = 0; b0 < n; b0 += chunk)
            {
                int nb = Math.Min(chunk, n - b0), ld = nb * p;
                Parallelism.For(nb, w.ImageSize, b => Im2Col.Forward(w, Data.AsSpan((b0 + b) * w.ImageSize, w.ImageSize), col, ld, b * p));
                Gemm.Multiply(false, false, o, ld, kk, 1f, weight.Data, kk, col, ld, 0f, tmp, ld);   // T = W col  (O, nb·P)
                Parallelism.For(nb, (long)o * p, b =>                                                // Y[b, o, :] = T[o, b·P:] + b_o
                {
                    for (int c = 0; c < o; c++)
                    {
                        var dst = y.Data.AsSpan(((b0 + b) * o + c) * p, p);
                        var src = tmp.AsSpan(c * ld + b * p, p);
                        if (bias is null) src.CopyTo(dst);
                        else TensorPrimitives.Add(src, bias.Data[c], dst);
                    }
                });
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(col);
            ArrayPool<float>.Shared.Return(tmp);
        }
        return y;
    }

    private static void Conv2dBackward(Tensor x, Tensor weight, Tensor? bias, Window w, float[] dy)
    {
        int n = x.Shape[0], o = weight.Shape[0], p = w.Pixels, kk = w.Patch;
        if (bias is { RequiresGrad: true })
        {
            var gb = bias.Grad!;
            Parallelism.For(o, (long)n * p, c =>                                                       // ∂b_o += Σ_{b,pixels} dY[b, o]
            {
                float s = 0f;
                for (int b = 0; b < n; b++) s += TensorPrimitives.Sum(dy.AsSpan((b * o + c) * p, p));
                gb[c] += s;
            });
        }
        if (!x.RequiresGrad && !weight.RequiresGrad) return;
        int chunk = ChunkImages(kk * p, n);
        var col = ArrayPool<float>.Shared.Rent(kk * chunk * p);
        var dyc = ArrayPool<float>.Shared.Rent(o * chunk * p);
        try
        {
            for (int b0 = 0; b0 < n; b0 += chunk)
            {
                int nb = Math.Min(chunk, n - b0), ld = nb * p;
                Parallelism.For(nb, (long)o * p, b =>                                                  // D[o, b·P:] = dY[b, o, :]
                {
                    for (int c = 0; c < o; c++) dy.AsSpan(((b0 + b) * o + c) * p, p).CopyTo(dyc.AsSpan(c * ld + b * p, p));
                });
                if (weight.RequiresGrad)
                {
                    Parallelism.For(nb, w.ImageSize, b => Im2Col.Forward(w, x.Data.AsSpan((b0 + b) * w.ImageSize, w.ImageSize), col, ld, b * p));
                    Gemm.Multiply(false, true, o, kk, ld, 1f, dyc, ld, col, ld, 1f, weight.Grad, kk);   // ∂W += D colᵀ
                }
                if (x.RequiresGrad)
                {
                    Gemm.Multiply(true, false, kk, ld, o, 1f, weight.Data, kk, dyc, ld, 0f, col, ld);  // ∂col = Wᵀ D
                    var gx = x.Grad!;
                    Parallelism.For(nb, w.ImageSize, b => Im2Col.Backward(w, col, gx.AsSpan((b0 + b) * w.ImageSize, w.ImageSize), ld, b * p));
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(col);
            ArrayPool<float>.Shared.Return(dyc);
        }
    }

    private static int ChunkImages(int floatsPerImage, int n) => Math.Clamp(ConvChunkFloats / Math.Max(1, floatsPerImage), 1, Math.Max(1, n));

    private Window ConvWindow(Tensor weight, Tensor? bias, int stride, Padding2d padding) => ConvWindow(Shape, weight, bias, stride, padding);

    /// <summary>The window of a convolution of an input of shape <paramref name="shape"/>, after checking every argument.</summary>
    private static Window ConvWindow(int[] shape, Tensor weight, Tensor? bias, int stride, Padding2d padding)
    {
        if (shape.Length != 4 || weight.Rank != 4 || shape[1] != weight.Shape[1])
            throw Error("Conv2d", $"input {Format(shape)} and weight {Format(weight.Shape)} must be (N, C, H, W) and (O, C, kh, kw) with equal C.", nameof(weight));
        if (bias is not null && (bias.Rank != 1 || bias.Length != weight.Shape[0]))
            throw Error("Conv2d", $"bias {Format(bias.Shape)} must have shape ({weight.Shape[0]}) for weight {Format(weight.Shape)}.", nameof(bias));
        return CheckedWindow("Conv2d", shape, weight.Shape[2], weight.Shape[3], stride, padding);
    }

    private Window CheckedWindow(string op, int kh, int kw, int stride, Padding2d padding) => CheckedWindow(op, Shape, kh, kw, stride, padding);

    private static Window CheckedWindow(string op, int[] shape, int kh, int kw, int stride, Padding2d padding)
    {
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), $"{op}: stride {stride} must be at least 1.");
        if (!padding.IsValid) throw new ArgumentOutOfRangeException(nameof(padding), $"{op}: padding {padding} must not be negative.");
        var w = new Window(shape[1], shape[2], shape[3], kh, kw, stride, padding);
        if (kh < 1 || kw < 1 || shape[2] + padding.Top + padding.Bottom < kh || shape[3] + padding.Left + padding.Right < kw)
            throw Error(op, $"kernel {kh}×{kw} does not fit input {Format(shape)} with padding {padding}.");
        return w;
    }
}
