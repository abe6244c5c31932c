namespace Disentangle.Tensors;

/// <summary>Geometry of a 2-D sliding window (convolution or pooling) over one (C, H, W) image.</summary>
internal readonly record struct Window(int Channels, int Height, int Width, int KernelHeight, int KernelWidth, int Stride, Padding2d Padding)
{
    public int OutHeight => Padding.OutHeight(Height, KernelHeight, Stride);
    public int OutWidth => Padding.OutWidth(Width, KernelWidth, Stride);
    public int Pixels => OutHeight * OutWidth;
    /// <summary>Rows of the column matrix: C·kh·kw.</summary>
    public int Patch => Channels * KernelHeight * KernelWidth;
    public int ImageSize => Channels * Height * Width;
}

/// <summary>im2col / col2im: an image (C, H, W) ↔ its column matrix (C·kh·kw, Ho·Wo) with zero padding.</summary>
/// <remarks>col[(c·kh + i)·kw + j, oh·Wo + ow] = x[c, oh·s − top + i, ow·s − left + j] (0 outside the image). The column
/// matrix of one image is written at column offset <c>offset</c> of a wider matrix with row stride <c>ld</c>, so a
/// chunk of images shares one GEMM.</remarks>
internal static class Im2Col
{
    public static void Forward(in Window w, ReadOnlySpan<float> x, Span<float> col, int ld, int offset)
    {
        int ho = w.OutHeight, wo = w.OutWidth, s = w.Stride;
        for (int c = 0; c < w.Channels; c++)
        {
            var plane = x.Slice(c * w.Height * w.Width, w.Height * w.Width);
            for (int i = 0; i < w.KernelHeight; i++)
                for (int j = 0; j < w.KernelWidth; j++)
                {
                    var row = col.Slice(((c * w.KernelHeight + i) * w.KernelWidth + j) * ld + offset, ho * wo);
                    // valid output columns: 0 ≤ ow·s − left + j < W
                    int owLo = Math.Max(0, CeilDiv(w.Padding.Left - j, s)), owHi = Math.Min(wo, CeilDiv(w.Width + w.Padding.Left - j, s));
                    for (int oh = 0; oh < ho; oh++)
                    {
                        int ih = oh * s - w.Padding.Top + i;
                        var dst = row.Slice(oh * wo, wo);
                        if ((uint)ih >= (uint)w.Height || owLo >= owHi) { dst.Clear(); continue; }
                        dst[..owLo].Clear();
                        dst[owHi..].Clear();
                        var src = plane.Slice(ih * w.Width);
                        int iw = owLo * s - w.Padding.Left + j;
                        if (s == 1) src.Slice(iw, owHi - owLo).CopyTo(dst[owLo..]);
                        else for (int ow = owLo; ow < owHi; ow++, iw += s) dst[ow] = src[iw];
                    }
                }
        }
    }

    /// <summary>dx += col2im(dcol): the adjoint of <see cref="Forward"/>.</summary>
    public static void Backward(in Window w, ReadOnlySpan<float> dcol, Span<float> dx, int ld, int offset)
    {
        int ho = w.OutHeight, wo = w.OutWidth, s = w.Stride;
        for (int c = 0; c < w.Channels; c++)
        {
            var plane = dx.Slice(c * w.Height * w.Width, w.Height * w.Width);
            for (int i = 0; i < w.KernelHeight; i++)
                for (int j = 0; j < w.KernelWidth; j++)
                {
                    var row = dcol.Slice(((c * w.KernelHeight + i) * w.KernelWidth + j) * ld + offset, ho * wo);
                    int owLo = Math.Max(0, CeilDiv(w.Padding.Left - j, s)), owHi = Math.Min(wo, CeilDiv(w.Width + w.Padding.Left - j, s));
                    if (owLo >= owHi) continue;
                    for (int oh = 0; oh < ho; oh++)
                    {
                        int ih = oh * s - w.Padding.Top + i;
                        if ((uint)ih >= (uint)w.Height) continue;
                        var src = row.Slice(oh * wo, wo);
                        var dst = plane.Slice(ih * w.Width);
                        int iw = owLo * s - w.Padding.Left + j;
                        if (s == 1) System.Numerics.Tensors.TensorPrimitives.Add(dst.Slice(iw, owHi - owLo), src[owLo..owHi], dst.Slice(iw, owHi - owLo));
                        else for (int ow = owLo; ow < owHi; ow++, iw += s) dst[iw] += src[ow];
                    }
                }
        }
    }

    private static int CeilDiv(int a, int b) => a <= 0 ? -(-a / b) : (a + b - 1) / b;
}
