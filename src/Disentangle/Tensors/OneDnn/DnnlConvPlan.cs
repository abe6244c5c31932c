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

    /// <summary>Builds the forward primitive for <paramref name="key"/>; with <paramref name="keepOutput"/> its output always
    /// goes to the plan's own buffer first (<see cref="ForwardKept"/>), even where the layout is plain.</summary>
    public DnnlConvPlan(ConvKey key, nint engine, bool keepOutput = false)
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
        dst = DnnlStage.Output(dstMd, forward.Md(QueryDstMd), engine, accumulate: false, keep: keepOutput);
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
        RunForward(src.In(stream, x, input), w, b, dst.Out(y));
        dst.Finish(stream);
        DnnlRuntime.Wait();
    }

    /// <summary>Runs the forward pass from <paramref name="source"/> (in <see cref="SourceMd"/>) into the plan's own
    /// output buffer and returns that memory (in <see cref="OutputMd"/>); it holds the result until the next call.</summary>
    public nint ForwardKept(nint source, float* w, float* b)
    {
        nint output = dst.Kept;
        RunForward(source, w, b, output);
        DnnlRuntime.Wait();
        return output;
    }

    /// <summary>The memory the forward pass reads, holding the plain input <paramref name="x"/> (reordered when needed).</summary>
    public nint Source(object input, float* x) => src.In(DnnlRuntime.Stream, x, input);

    /// <summary>Copies the output kept by <see cref="ForwardKept"/> into the plain array <paramref name="y"/>.</summary>
    public void DeliverKept(float* y)
    {
        dst.Out(y);
        dst.Finish(DnnlRuntime.Stream);
        DnnlRuntime.Wait();
    }

    /// <summary>The layout of the forward pass's input and of its output.</summary>
    public void* SourceMd => forward.Md(QuerySrcMd);

    /// <inheritdoc cref="SourceMd"/>
    public void* OutputMd => forward.Md(QueryDstMd);

    /// <summary>The layouts of backward-weights' input and ∂output, and of backward-data's ∂output and ∂input (the
    /// backward primitives are created now if they were not yet).</summary>
    public (nint WeightsSource, nint WeightsDiffOutput, nint DataDiffOutput, nint DataDiffInput) BackwardMds()
    {
        EnsureBackwardWeights();
        EnsureBackwardData();
        return ((nint)backwardWeights!.Md(QuerySrcMd), (nint)backwardWeights.Md(QueryDiffDstMd),
            (nint)backwardData!.Md(QueryDiffDstMd), (nint)backwardData.Md(QueryDiffSrcMd));
    }

    private void RunForward(nint source, float* w, float* b, nint output)
    {
        nint stream = DnnlRuntime.Stream;
        var args = stackalloc ExecArg[4];
        args[0] = new ExecArg(ArgSrc, source);
        args[1] = new ExecArg(ArgWeights, weights.In(stream, w));
        args[2] = new ExecArg(ArgDst, output);
        int count = 3;
        if (key.Bias)
        {
            Check(dnnl_memory_set_data_handle(bias, b), "dnnl_memory_set_data_handle");
            args[count++] = new ExecArg(ArgBias, bias);
        }
        forward.Run(stream, args, count);
    }

    /// <summary>∂w += dyᵀ ⋆ x and ∂b += Σ dy (when <paramref name="gw"/> / <paramref name="gb"/> are not null).</summary>
    public void BackwardWeights(object input, float* x, object gradient, float* dy, float* gw, float* gb)
    {
        nint source = WeightsSource(input, x);
        BackwardWeights(source, bwDiffDst!.In(DnnlRuntime.Stream, dy, gradient), gw, gb);
    }

    /// <summary>The memory backward-weights reads, holding the plain input <paramref name="x"/> (the forward pass's
    /// reordered copy when it still holds <paramref name="input"/> and the layouts agree).</summary>
    public nint WeightsSource(object input, float* x)
    {
        EnsureBackwardWeights();
        nint stream = DnnlRuntime.Stream;
        return bwSrc is null ? src.Holding(input) ?? src.In(stream, x, input) : bwSrc.In(stream, x, input);
    }

    /// <summary>∂w += dyᵀ ⋆ x and ∂b += Σ dy from memories already in backward-weights' layouts.</summary>
    public void BackwardWeights(nint source, nint diffDst, float* gw, float* gb)
    {
        EnsureBackwardWeights();
        nint stream = DnnlRuntime.Stream;
        var args = stackalloc ExecArg[4];
        args[0] = new ExecArg(ArgSrc, source);
        args[1] = new ExecArg(ArgDiffDst, diffDst);
        args[2] = new ExecArg(ArgDiffWeights, bwDiffWeights!.Out(gw));   // written to its own buffer, delivered only when wanted
        int count = 3;
        if (key.Bias) args[count++] = new ExecArg(ArgDiffBias, bwDiffBias);
        backwardWeights!.Run(stream, args, count);
        if (gw != null) bwDiffWeights.Finish(stream);
        DnnlRuntime.Wait();
        if (gb != null) for (int o = 0; o < key.O; o++) gb[o] += diffBiasBuffer[o];
    }

    /// <summary>The memory holding the plain gradient <paramref name="dy"/> in backward-weights' ∂destination layout.</summary>
    public nint DiffDestination(object gradient, float* dy)
    {
        EnsureBackwardWeights();
        return bwDiffDst!.In(DnnlRuntime.Stream, dy, gradient);
    }

    /// <summary>∂x += dy ⋆ᵀ w; <paramref name="gradient"/> is the array behind <paramref name="dy"/> (backward-weights'
    /// reordered copy of it is reused when both primitives want the same layout).</summary>
    public void BackwardData(float* w, object gradient, float* dy, float* gx)
    {
        EnsureBackwardData();
        nint? reordered = sharedDiffDst ? bwDiffDst!.Holding(gradient) : null;
        BackwardData(w, reordered ?? bdDiffDst!.In(DnnlRuntime.Stream, dy), gx);
    }

    /// <summary>∂x += dy ⋆ᵀ w into the plain array <paramref name="gx"/>, from ∂y already in backward-data's layout.</summary>
    public void BackwardData(float* w, nint diffDst, float* gx)
    {
        EnsureBackwardData();
        RunBackwardData(w, diffDst, bdDiffSrc!.Out(gx));
        bdDiffSrc.Finish(DnnlRuntime.Stream);
        DnnlRuntime.Wait();
    }

    /// <summary>∂x = dy ⋆ᵀ w written (not added) to <paramref name="diffSrc"/>, a memory in the forward input's layout.</summary>
    public void BackwardDataInto(float* w, nint diffDst, nint diffSrc)
    {
        EnsureBackwardData();
        RunBackwardData(w, diffDst, diffSrc);
        DnnlRuntime.Wait();
    }

    private void RunBackwardData(float* w, nint diffDst, nint diffSrc)
    {
        nint stream = DnnlRuntime.Stream;
        var args = stackalloc ExecArg[3];
        args[0] = new ExecArg(ArgWeights, bdWeights!.In(stream, w));
        args[1] = new ExecArg(ArgDiffDst, diffDst);
        args[2] = new ExecArg(ArgDiffSrc, diffSrc);
        backwardData!.Run(stream, args, 3);
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
