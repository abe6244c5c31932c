using System.Runtime.InteropServices;
using Disentangle.Tensors.OneDnn;

namespace Disentangle.Tensors;

public sealed partial class Tensor
{
    /// <summary>ReLU(conv(… ReLU(conv(x, layer₀)) …, layerₖ)) as one op: the values and gradients of chaining
    /// <see cref="Conv2dRelu"/> layer by layer.</summary>
    /// <remarks>With oneDNN the activations between layers stay in the library's blocked layouts, in buffers reused by
    /// every call of the same shapes (<c>Tensors/OneDnn/DnnlConvChain</c>); only the last output is NCHW. Those buffers
    /// hold one forward pass at a time: a backward whose activations a later forward of the same shapes overwrote
    /// recomputes them first. With im2col + GEMM, or where oneDNN cannot build a layer's primitives, the layers run one
    /// by one.</remarks>
    /// <param name="layers">The convolutions in order; each one's input channels are the previous one's outputs.</param>
    /// <exception cref="ArgumentException">No layer, or a layer's shapes do not fit its input (as for <see cref="Conv2d(Tensor, Tensor?, int, Padding2d)"/>).</exception>
    public Tensor ConvReluChain(IReadOnlyList<ConvReluLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw Error("ConvReluChain", "needs at least one layer.", nameof(layers));
        var key = ChainKey(Shape, layers, out var shape);
        if (layers.Count > 1 && Shape[0] > 0 && Convolution.Current == ConvBackend.OneDnn && ChainForward(layers, key, shape) is { } chained)
            return chained;
        var h = this;
        foreach (var (weight, bias, stride, padding) in layers) h = h.Conv2dRelu(weight, bias, stride, padding);
        return h;
    }

    /// <summary>The chain's primitives key for an input of shape <paramref name="shape"/>, after checking every layer;
    /// <paramref name="outputShape"/> is the last layer's output shape.</summary>
    internal static ConvChainKey ChainKey(int[] shape, IReadOnlyList<ConvReluLayer> layers, out int[] outputShape)
    {
        var keys = new ConvKey[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            var (weight, bias, stride, padding) = layers[i];
            ArgumentNullException.ThrowIfNull(weight);
            var w = ConvWindow(shape, weight, bias, stride, padding);
            keys[i] = new ConvKey(shape[0], w.Channels, w.Height, w.Width, weight.Shape[0], w.KernelHeight, w.KernelWidth, stride, padding,
                bias is not null, Relu: true);
            shape = [shape[0], weight.Shape[0], w.OutHeight, w.OutWidth];
        }
        outputShape = shape;
        return new ConvChainKey(keys);
    }

    private Tensor? ChainForward(IReadOnlyList<ConvReluLayer> layers, ConvChainKey key, int[] outputShape)
    {
        var y = Uninitialized(outputShape);   // the chain delivers every value
        DnnlConvChain? chain;
        long generation;
        lock (DnnlRuntime.Gate)
        {
            chain = DnnlRuntime.Chain(key);
            if (chain is null) return null;
            RunChainForward(chain, layers, y.Data);
            generation = chain.Generation;
        }
        var parents = new List<Tensor> { this };
        foreach (var layer in layers)
        {
            parents.Add(layer.Weight);
            if (layer.Bias is not null) parents.Add(layer.Bias);
        }
        return Node(y, [.. parents], dy =>
        {
            MaskByPositive(dy, y.Data);
            lock (DnnlRuntime.Gate)
            {
                var current = DnnlRuntime.Chain(key)!;
                if (!ReferenceEquals(current, chain) || current.Generation != generation)
                    RunChainForward(current, layers, null);   // a later forward refilled the buffers: recompute these activations
                RunChainBackward(current, layers, dy);
            }
        });
    }

    private unsafe void RunChainForward(DnnlConvChain chain, IReadOnlyList<ConvReluLayer> layers, float[]? y)
    {
        using var pins = new Pins(layers.Count);
        var w = stackalloc float*[layers.Count];
        var b = stackalloc float*[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            w[i] = pins.Pin(layers[i].Weight.Data);
            b[i] = pins.Pin(layers[i].Bias?.Data);
        }
        fixed (float* x = Data, py = y) chain.Forward(Data, x, w, b, py);
    }

    private unsafe void RunChainBackward(DnnlConvChain chain, IReadOnlyList<ConvReluLayer> layers, float[] dy)
    {
        using var pins = new Pins(3 * layers.Count);
        var w = stackalloc float*[layers.Count];
        var gw = stackalloc float*[layers.Count];
        var gb = stackalloc float*[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            var (weight, bias, _, _) = layers[i];
            w[i] = pins.Pin(weight.Data);
            gw[i] = weight.RequiresGrad ? pins.Pin(weight.Grad) : null;
            gb[i] = bias is { RequiresGrad: true } ? pins.Pin(bias.Grad) : null;
        }
        fixed (float* x = Data, pdy = dy, gx = RequiresGrad ? Grad : null) chain.Backward(Data, x, w, gw, gb, dy, pdy, gx);
    }

    /// <summary>Arrays pinned for the length of a native call (a chain takes a pointer per layer).</summary>
    private sealed unsafe class Pins(int capacity) : IDisposable
    {
        private readonly List<GCHandle> handles = new(capacity);

        /// <summary>The address of <paramref name="array"/>'s first value, pinned until disposal; null for a null array.</summary>
        public float* Pin(float[]? array)
        {
            if (array is null) return null;
            var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
            handles.Add(handle);
            return (float*)handle.AddrOfPinnedObject();
        }

        public void Dispose()
        {
            foreach (var handle in handles) handle.Free();
        }
    }
}
