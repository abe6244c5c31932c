using System.Runtime.InteropServices;
using static Disentangle.Tensors.OneDnn.DnnlApi;

namespace Disentangle.Tensors.OneDnn;

/// <summary>oneDNN's forward (ReLU fused when the key says so), backward-data and backward-weights convolution primitives for one shape, with their
/// layouts chosen by the library (<c>format_tag::any</c>), the reorders to and from NCHW/OIHW, and reusable buffers.</summary>
/// <remarks>The backward primitives take the forward primitive descriptor as their hint (as oneDNN asks) and are created
/// on first use, so inference-only shapes never build them. The input reordered by the forward pass is kept and reused by
/// backward-weights when it is still the same array. Gradients are added to the callers' arrays by reorders with a sum
/// post-op, so the plain accumulation contract of the tape holds. Call every method under <see cref="DnnlRuntime.Gate"/>.</remarks>
internal sealed unsafe class DnnlConvPlan : IDisposable
{
    private readonly ConvKey key;
    private readonly nint engine;
    private readonly void* srcMd, weightsMd, biasMd, dstMd;   // the callers' plain layouts
    private readonly long* geometry;                          // strides[2], padding_l[2], padding_r[2]
    private readonly DnnlPrimitive forward;
    private readonly DnnlStage src, weights, dst;
    private nint bias;                                        // bias memory (plain 'x'), when the layer has one
    private DnnlPrimitive? backwardData, backwardWeights;
    private DnnlStage? bdWeights, bdDiffDst, bdDiffSrc, bwSrc, bwDiffDst, bwDiffWeights;
    private nint bwDiffBias;
    private bool sharedDiffDst;   // backward-data reads ∂y in the layout backward-weights already reordered it to
    private float* diffBiasBuffer;

    public DnnlConvPlan(ConvKey key, nint engine)
    {
        this.key = key;
        this.engine = engine;
        srcMd = PlainMd([key.N, key.C, key.H, key.W], TagNchw);
        weightsMd = PlainMd([key.O, key.C, key.KernelHeight, key.KernelWidth], TagOihw);
        biasMd = PlainMd([key.O], TagX);
        dstMd = PlainMd([key.N, key.O, key.OutHeight, key.OutWidth], TagNchw);
        geometry = (long*)NativeMemory.AllocZeroed(6 * sizeof(long));
        geometry[0] = geometry[1] = key.Stride;
        (geometry[2], geometry[3], geometry[4], geometry[5]) = (key.Padding.Top, key.Padding.Left, key.Padding.Bottom, key.Padding.Right);

        void* anySrc = AnyMd(srcMd), anyWeights = AnyMd(weightsMd), anyDst = AnyMd(dstMd);
        var desc = NativeMemory.AllocZeroed(ConvDescBytes);
        try
        {
            Check(dnnl_convolution_forward_desc_init(desc, ForwardTraining, ConvolutionDirect, anySrc, anyWeights, key.Bias ? biasMd : null, anyDst,
                geometry, geometry + 2, geometry + 4), "dnnl_convolution_forward_desc_init");
            forward = new DnnlPrimitive(desc, engine, 0, key.Relu);
        }
        finally { NativeMemory.Free(desc); NativeMemory.Free(anySrc); NativeMemory.Free(anyWeights); NativeMemory.Free(anyDst); }
        src = DnnlStage.Input(srcMd, forward.Md(QuerySrcMd), engine);
        weights = DnnlStage.Input(weightsMd, forward.Md(QueryWeightsMd), engine);
        dst = DnnlStage.Output(dstMd, forward.Md(QueryDstMd), engine, accumulate: false);
        if (key.Bias)
        {
            nint memory;
            Check(dnnl_memory_create(&memory, biasMd, engine, null), "dnnl_memory_create");
            bias = memory;
        }
    }

    /// <summary>The implementation oneDNN chose for the forward pass (e.g. <c>jit:avx512_core</c>).</summary>
    public string Implementation => forward.Implementation;

    /// <summary>y = x ⋆ w + b (all plain, y overwritten); <paramref name="input"/> is the array behind <paramref name="x"/>.</summary>
    public void Forward(object input, float* x, float* w, float* b, float* y)
    {
        nint stream = DnnlRuntime.Stream;
        var args = stackalloc ExecArg[4];
        args[0] = new ExecArg(ArgSrc, src.In(stream, x, input));
        args[1] = new ExecArg(ArgWeights, weights.In(stream, w));
        args[2] = new ExecArg(ArgDst, dst.Out(y));
        int count = 3;
        if (key.Bias)
        {
            Check(dnnl_memory_set_data_handle(bias, b), "dnnl_memory_set_data_handle");
            args[count++] = new ExecArg(ArgBias, bias);
        }
        forward.Run(stream, args, count);
        dst.Finish(stream);
        DnnlRuntime.Wait();
    }

    /// <summary>∂w += dyᵀ ⋆ x and ∂b += Σ dy (when <paramref name="gw"/> / <paramref name="gb"/> are not null).</summary>
    public void BackwardWeights(object input, float* x, object gradient, float* dy, float* gw, float* gb)
    {
        EnsureBackwardWeights();
        nint stream = DnnlRuntime.Stream;
        var args = stackalloc ExecArg[4];
        nint source = bwSrc is null ? src.Holding(input) ?? src.In(stream, x, input) : bwSrc.In(stream, x, input);
        args[0] = new ExecArg(ArgSrc, source);
        args[1] = new ExecArg(ArgDiffDst, bwDiffDst!.In(stream, dy, gradient));
        args[2] = new ExecArg(ArgDiffWeights, bwDiffWeights!.Out(gw));   // written to its own buffer, delivered only when wanted
        int count = 3;
        if (key.Bias) args[count++] = new ExecArg(ArgDiffBias, bwDiffBias);
        backwardWeights!.Run(stream, args, count);
        if (gw != null) bwDiffWeights.Finish(stream);
        DnnlRuntime.Wait();
        if (gb != null) for (int o = 0; o < key.O; o++) gb[o] += diffBiasBuffer[o];
    }

    /// <summary>∂x += dy ⋆ᵀ w; <paramref name="gradient"/> is the array behind <paramref name="dy"/> (backward-weights'
    /// reordered copy of it is reused when both primitives want the same layout).</summary>
    public void BackwardData(float* w, object gradient, float* dy, float* gx)
    {
        EnsureBackwardData();
        nint stream = DnnlRuntime.Stream;
        var args = stackalloc ExecArg[3];
        args[0] = new ExecArg(ArgWeights, bdWeights!.In(stream, w));
        nint? reordered = sharedDiffDst ? bwDiffDst!.Holding(gradient) : null;
        args[1] = new ExecArg(ArgDiffDst, reordered ?? bdDiffDst!.In(stream, dy));
        args[2] = new ExecArg(ArgDiffSrc, bdDiffSrc!.Out(gx));
        backwardData!.Run(stream, args, 3);
        bdDiffSrc.Finish(stream);
        DnnlRuntime.Wait();
    }

    /// <summary>Marks backward-weights' copy of ∂y as stale (a backward that skipped backward-weights).</summary>
    public void ForgetGradient() => bwDiffDst?.Forget();

    private void EnsureBackwardWeights()
    {
        if (backwardWeights is not null) return;
        void* anySrc = AnyMd(srcMd), anyWeights = AnyMd(weightsMd), anyDst = AnyMd(dstMd);
        var desc = NativeMemory.AllocZeroed(ConvDescBytes);
        try
        {
            Check(dnnl_convolution_backward_weights_desc_init(desc, ConvolutionDirect, anySrc, anyWeights, key.Bias ? biasMd : null, anyDst,
                geometry, geometry + 2, geometry + 4), "dnnl_convolution_backward_weights_desc_init");
            backwardWeights = new DnnlPrimitive(desc, engine, forward.Descriptor);
        }
        finally { NativeMemory.Free(desc); NativeMemory.Free(anySrc); NativeMemory.Free(anyWeights); NativeMemory.Free(anyDst); }
        var srcWanted = backwardWeights.Md(QuerySrcMd);
        if (dnnl_memory_desc_equal(srcWanted, forward.Md(QuerySrcMd)) == 0) bwSrc = DnnlStage.Input(srcMd, srcWanted, engine);
        bwDiffDst = DnnlStage.Input(dstMd, backwardWeights.Md(QueryDiffDstMd), engine);
        bwDiffWeights = DnnlStage.Output(weightsMd, backwardWeights.Md(QueryDiffWeightsMd), engine, accumulate: true);
        diffBiasBuffer = (float*)NativeMemory.AlignedAlloc((nuint)key.O * sizeof(float), 64);
        if (key.Bias)
        {
            nint memory;
            Check(dnnl_memory_create(&memory, biasMd, engine, diffBiasBuffer), "dnnl_memory_create");
            bwDiffBias = memory;
        }
    }

    private void EnsureBackwardData()
    {
        if (backwardData is not null) return;
        void* anySrc = AnyMd(srcMd), anyWeights = AnyMd(weightsMd), anyDst = AnyMd(dstMd);
        var desc = NativeMemory.AllocZeroed(ConvDescBytes);
        try
        {
            Check(dnnl_convolution_backward_data_desc_init(desc, ConvolutionDirect, anySrc, anyWeights, anyDst,
                geometry, geometry + 2, geometry + 4), "dnnl_convolution_backward_data_desc_init");
            backwardData = new DnnlPrimitive(desc, engine, forward.Descriptor);
        }
        finally { NativeMemory.Free(desc); NativeMemory.Free(anySrc); NativeMemory.Free(anyWeights); NativeMemory.Free(anyDst); }
        bdWeights = DnnlStage.Input(weightsMd, backwardData.Md(QueryWeightsMd), engine);
        bdDiffDst = DnnlStage.Input(dstMd, backwardData.Md(QueryDiffDstMd), engine);
        bdDiffSrc = DnnlStage.Output(srcMd, backwardData.Md(QueryDiffSrcMd), engine, accumulate: true);
        sharedDiffDst = backwardWeights is not null && dnnl_memory_desc_equal(backwardData.Md(QueryDiffDstMd), backwardWeights.Md(QueryDiffDstMd)) != 0;
    }

    private static void* PlainMd(long[] dims, int tag)
    {
        var md = NativeMemory.AllocZeroed(MemoryDescBytes);
        fixed (long* d = dims) Check(dnnl_memory_desc_init_by_tag(md, dims.Length, d, F32, tag), "dnnl_memory_desc_init_by_tag");
        return md;
    }

    /// <summary>A descriptor of the same dimensions with <c>format_tag::any</c> (the primitive picks the layout).</summary>
    private static void* AnyMd(void* plain)
    {
        var md = NativeMemory.AllocZeroed(MemoryDescBytes);
        int ndims = *(int*)plain;
        long* dims = (long*)((byte*)plain + 8);   // dnnl_memory_desc_t: int ndims; (padding); dnnl_dims_t dims; …
        Check(dnnl_memory_desc_init_by_tag(md, ndims, dims, F32, TagAny), "dnnl_memory_desc_init_by_tag");
        return md;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        src.Dispose(); weights.Dispose(); dst.Dispose();
        bdWeights?.Dispose(); bdDiffDst?.Dispose(); bdDiffSrc?.Dispose(); bwSrc?.Dispose(); bwDiffDst?.Dispose(); bwDiffWeights?.Dispose();
        if (bias != 0) dnnl_memory_destroy(bias);
        if (bwDiffBias != 0) dnnl_memory_destroy(bwDiffBias);
        forward.Dispose(); backwardData?.Dispose(); backwardWeights?.Dispose();
        if (diffBiasBuffer != null) NativeMemory.AlignedFree(diffBiasBuffer);
        NativeMemory.Free(srcMd); NativeMemory.Free(weightsMd); NativeMemory.Free(biasMd); NativeMemory.Free(dstMd); NativeMemory.Free(geometry);
    }
}
