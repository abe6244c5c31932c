using Disentangle.Tensors.OneDnn;

namespace Disentangle.Tensors;

public sealed partial class Tensor
{
    /// <summary>The convolution through oneDNN's cached primitives for this shape; false (and nothing done) when oneDNN
    /// cannot build them, so the caller falls back to im2col.</summary>
    private unsafe bool TryConv2dOneDnn(Tensor weight, Tensor? bias, Window w, out Tensor result)
    {
        var key = new ConvKey(Shape[0], w.Channels, w.Height, w.Width, weight.Shape[0], w.KernelHeight, w.KernelWidth, w.Stride, w.Padding, bias is not null);
        var y = Empty([key.N, key.O, key.OutHeight, key.OutWidth]);
        lock (DnnlRuntime.Gate)
        {
            DnnlConvPlan plan;
            try { plan = DnnlRuntime.Plan(key); }
            catch (InvalidOperationException) { result = y; return false; }
            fixed (float* x = Data, pw = weight.Data, pb = bias?.Data, py = y.Data) plan.Forward(Data, x, pw, pb, py);
        }
        Tensor[] parents = bias is null ? [this, weight] : [this, weight, bias];
        result = Node(y, parents, dy => Conv2dBackwardOneDnn(this, weight, bias, key, dy));
        return true;
    }

    private static unsafe void Conv2dBackwardOneDnn(Tensor x, Tensor weight, Tensor? bias, ConvKey key, float[] dy)
    {
        bool wantWeights = weight.RequiresGrad, wantBias = bias is { RequiresGrad: true };
        lock (DnnlRuntime.Gate)
        {
            var plan = DnnlRuntime.Plan(key);
            fixed (float* px = x.Data, pw = weight.Data, pdy = dy, gx = x.Grad, gw = weight.Grad, gb = bias?.Grad)
            {
                if (wantWeights || wantBias) plan.BackwardWeights(x.Data, px, pdy, wantWeights ? gw : null, wantBias ? gb : null);
                if (x.RequiresGrad) plan.BackwardData(pw, pdy, gx);
            }
        }
    }
}
