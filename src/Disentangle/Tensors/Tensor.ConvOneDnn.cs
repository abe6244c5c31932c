using Disentangle.Tensors.OneDnn;

namespace Disentangle.Tensors;

public sealed partial class Tensor
{
    /// <summary>The convolution's values (ReLU fused when <paramref name="relu"/>) through oneDNN's cached primitives for
    /// this shape; null (nothing done) when oneDNN cannot build them, so the caller falls back to im2col.</summary>
    private unsafe Tensor? Conv2dOneDnnValues(Tensor weight, Tensor? bias, Window w, bool relu, out ConvKey key)
    {
        key = new ConvKey(Shape[0], w.Channels, w.Height, w.Width, weight.Shape[0], w.KernelHeight, w.KernelWidth, w.Stride, w.Padding,
            bias is not null, relu);
        var y = Uninitialized([key.N, key.O, key.OutHeight, key.OutWidth]);   // oneDNN writes every value
        lock (DnnlRuntime.Gate)
        {
            DnnlConvPlan plan;
            try { plan = DnnlRuntime.Plan(key); }
            catch (InvalidOperationException) { return null; }
            fixed (float* x = Data, pw = weight.Data, pb = bias?.Data, py = y.Data) plan.Forward(Data, x, pw, pb, py);
        }
        return y;
    }

    /// <summary>∂x, ∂w, ∂b of the convolution for the gradient <paramref name="dy"/> of its (pre-activation) output.</summary>
    private static unsafe void Conv2dBackwardOneDnn(Tensor x, Tensor weight, Tensor? bias, ConvKey key, float[] dy)
    {
        bool wantWeights = weight.RequiresGrad, wantBias = bias is { RequiresGrad: true };
        lock (DnnlRuntime.Gate)
        {
            var plan = DnnlRuntime.Plan(key);
            fixed (float* px = x.Data, pw = weight.Data, pdy = dy, gx = x.Grad, gw = weight.Grad, gb = bias?.Grad)
            {
                if (wantWeights || wantBias) plan.BackwardWeights(x.Data, px, dy, pdy, wantWeights ? gw : null, wantBias ? gb : null);
                else plan.ForgetGradient();
                if (x.RequiresGrad) plan.BackwardData(pw, dy, pdy, gx);
            }
        }
    }
}
