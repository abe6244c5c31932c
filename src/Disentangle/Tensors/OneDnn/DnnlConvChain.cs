using System.Runtime.InteropServices;
using static Disentangle.Tensors.OneDnn.DnnlApi;

namespace Disentangle.Tensors.OneDnn;

/// <summary>Consecutive convolutions, each with its ReLU fused, whose activations and gradients stay in the layouts oneDNN
/// chose (blocked, e.g. <c>nChw16c</c>) from the first layer's input to the last layer's output.</summary>
/// <remarks>Run one layer at a time, every boundary between two convolutions costs two reorders (to NCHW for the next op
/// and back) forward and two backward, plus a fresh NCHW array each time: for the 3D Shapes encoder at 400 images that is
/// about 200 MB moved and 70 MB of fresh pages a step. Here each layer writes its activation into its plan's own buffer
/// and the next layer reads it there; the backward pass reads the activations and passes ∂ between layers in two shared
/// buffers. Where two primitives want different layouts (oneDNN picks them per shape and batch size: backward-weights
/// takes 8-channel blocks for small batches here) one blocked-to-blocked reorder moves the values across. Only the last
/// output and its gradient are NCHW. The buffers hold one forward pass at a time; <see cref="Generation"/> tells a caller
/// whether a later forward has overwritten them. Call every method under <see cref="DnnlRuntime.Gate"/>.</remarks>
internal sealed unsafe class DnnlConvChain : IDisposable
{
    private readonly DnnlConvPlan[] plans;
    private readonly nint[] activations;                // layer i's output (its plan's kept buffer), set by Forward
    private readonly nuint[] activationFloats;
    private readonly DnnlRelayout?[] intoNext;          // layer i's output → layer i + 1's input layout
    private readonly DnnlRelayout?[] weightsSource;     // layer i − 1's output → layer i's backward-weights input
    private readonly DnnlRelayout[] toWeights, toData;  // ∂ of layer i's output → what its backward primitives read
    private readonly nint[] below;                      // ∂ of layer i's input, written by its backward-data (i ≥ 1)
    private readonly DnnlRelayout?[] intoOutput;        // that ∂ → layer i − 1's output layout (to mask by its ReLU)
    private readonly void*[] buffers = new void*[2];
    private readonly nuint belowBytes;

    private DnnlConvChain(DnnlConvPlan[] plans, nint engine)
    {
        this.plans = plans;
        int count = plans.Length;
        activations = new nint[count];
        activationFloats = new nuint[count];
        (intoNext, weightsSource, intoOutput) = (new DnnlRelayout?[count], new DnnlRelayout?[count], new DnnlRelayout?[count]);
        (toWeights, toData, below) = (new DnnlRelayout[count], new DnnlRelayout[count], new nint[count]);
        for (int i = 0; i < count; i++)
        {
            nint output = (nint)plans[i].OutputMd;
            var (weightsInput, weightsDiff, dataDiff, dataDiffInput) = plans[i].BackwardMds();
            activationFloats[i] = dnnl_memory_desc_get_size((void*)output) / sizeof(float);
            nint gradient = i == count - 1 ? weightsDiff : output;   // the last ∂ arrives from NCHW in backward-weights' layout
            toWeights[i] = new DnnlRelayout(gradient, weightsDiff, engine);
            toData[i] = new DnnlRelayout(gradient, dataDiff, engine);
            if (i + 1 < count) intoNext[i] = new DnnlRelayout(output, (nint)plans[i + 1].SourceMd, engine);
            if (i == 0) continue;
            nint previous = (nint)plans[i - 1].OutputMd;
            weightsSource[i] = new DnnlRelayout(previous, weightsInput, engine);
            intoOutput[i] = new DnnlRelayout(dataDiffInput, previous, engine);
            nint memory;
            Check(dnnl_memory_create(&memory, (void*)dataDiffInput, engine, null), "dnnl_memory_create");
            below[i] = memory;
            belowBytes = Math.Max(belowBytes, dnnl_memory_desc_get_size((void*)dataDiffInput));
        }
    }

    /// <summary>The chain for <paramref name="keys"/> (each layer's input is the previous layer's output).</summary>
    /// <exception cref="InvalidOperationException">oneDNN cannot build a primitive for one of the layers.</exception>
    public static DnnlConvChain Create(ConvKey[] keys, nint engine)
    {
        var plans = new List<DnnlConvPlan>();
        try
        {
            foreach (var key in keys) plans.Add(new DnnlConvPlan(key, engine, keepOutput: true));
            return new DnnlConvChain([.. plans], engine);
        }
        catch
        {
            foreach (var plan in plans) plan.Dispose();
            throw;
        }
    }

    /// <summary>Counts the forward passes: the activations in the buffers are those of the pass that set this value.</summary>
    public long Generation { get; private set; }

    /// <summary>Runs every layer from the plain input <paramref name="x"/> (the array <paramref name="input"/>) with
    /// weights <paramref name="w"/>[i] and biases <paramref name="b"/>[i], keeping the activations; writes the last
    /// output to the plain array <paramref name="y"/> unless it is null.</summary>
    public void Forward(object input, float* x, float** w, float** b, float* y)
    {
        nint source = plans[0].Source(input, x);
        for (int i = 0; i < plans.Length; i++)
        {
            activations[i] = plans[i].ForwardKept(source, w[i], b[i]);
            if (intoNext[i] is { } next) source = next.From(activations[i]);
        }
        if (y != null) plans[^1].DeliverKept(y);
        Generation++;
    }

    /// <summary>Back-propagates <paramref name="dy"/> (plain, already masked by the last ReLU) through the activations of
    /// the last <see cref="Forward"/>: adds ∂w, ∂b and ∂x into the non-null arrays <paramref name="gw"/>[i],
    /// <paramref name="gb"/>[i] and <paramref name="gx"/>.</summary>
    public void Backward(object input, float* x, float** w, float** gw, float** gb, object gradient, float* dy, float* gx)
    {
        EnsureBuffers();
        nint diff = plans[^1].DiffDestination(gradient, dy);
        for (int i = plans.Length - 1; i >= 0; i--)
        {
            var plan = plans[i];
            if (gw[i] != null || gb[i] != null)
            {
                nint source = i == 0 ? plan.WeightsSource(input, x) : weightsSource[i]!.From(activations[i - 1]);
                plan.BackwardWeights(source, toWeights[i].From(diff), gw[i], gb[i]);
            }
            if (i > 0)
            {
                plan.BackwardDataInto(w[i], toData[i].From(diff), below[i]);
                diff = intoOutput[i]!.From(below[i]);
                MaskByPositive(diff, activations[i - 1], activationFloats[i - 1]);
            }
            else if (gx != null) plan.BackwardData(w[0], toData[0].From(diff), gx);
        }
    }

    private void EnsureBuffers()
    {
        if (buffers[0] != null || plans.Length == 1) return;
        for (int k = 0; k < 2; k++) buffers[k] = NativeMemory.AlignedAlloc(Math.Max(belowBytes, 64), 64);
        for (int i = 1; i < plans.Length; i++) Check(dnnl_memory_set_data_handle(below[i], buffers[i % 2]), "dnnl_memory_set_data_handle");
    }

    /// <summary>∂ ← ∂ where the activation is positive, else 0, over two memories of one layout (padding included:
    /// oneDNN keeps the padded channels of both at zero).</summary>
    private static void MaskByPositive(nint gradient, nint activation, nuint count)
    {
        void* g, v;
        Check(dnnl_memory_get_data_handle(gradient, &g), "dnnl_memory_get_data_handle");
        Check(dnnl_memory_get_data_handle(activation, &v), "dnnl_memory_get_data_handle");
        nint pg = (nint)g, pv = (nint)v;
        Tensor.Chunked(checked((int)count), (start, n) =>
            Tensor.MaskByPositive(new Span<float>((float*)pg + start, n), new ReadOnlySpan<float>((float*)pv + start, n)));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var plan in plans) plan.Dispose();
        foreach (var relayout in intoNext.Concat(weightsSource).Concat(toWeights).Concat(toData).Concat(intoOutput)) relayout?.Dispose();
        foreach (var memory in below) if (memory != 0) dnnl_memory_destroy(memory);
        foreach (var buffer in buffers) if (buffer != null) NativeMemory.AlignedFree(buffer);
    }
}

/// <summary>What fixes a chain's primitives: each layer's <see cref="ConvKey"/>, in order.</summary>
internal sealed record ConvChainKey(ConvKey[] Layers)
{
    /// <inheritdoc/>
    public bool Equals(ConvChainKey? other) => other is not null && Layers.AsSpan().SequenceEqual(other.Layers);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var layer in Layers) hash.Add(layer);
        return hash.ToHashCode();
    }
}
