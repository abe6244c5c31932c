using System.Numerics.Tensors;

namespace Disentangle.Tensors;

public sealed partial class Tensor
{
    /// <summary>Row-wise log-softmax of logits (N, K): <c>y_ik = x_ik − log Σ_j e^{x_ij}</c> (max-shifted for stability).</summary>
    /// <exception cref="ArgumentException">The input is not rank 2.</exception>
    public Tensor LogSoftmax()
    {
        if (Rank != 2) throw Error("LogSoftmax", $"logits {Format(Shape)} must be (N, K).");
        int rows = Shape[0], k = Shape[1];
        var y = new Tensor(LogSoftmaxValues(rows, k), Shape);
        return Node(y, [this], dy => Parallelism.For(rows, k, i =>                 // ∂x_i += dy_i − softmax_i · Σ_k dy_ik
        {
            var o = y.Data.AsSpan(i * k, k);
            var d = dy.AsSpan(i * k, k);
            var g = Grad.AsSpan(i * k, k);
            float total = TensorPrimitives.Sum(d);
            for (int j = 0; j < k; j++) g[j] += d[j] - MathF.Exp(o[j]) * total;
        }));
    }

    /// <summary>Mean cross-entropy of logits (N, K) against integer labels: <c>−(1/N) Σ_i log softmax(x_i)[label_i]</c>.</summary>
    /// <exception cref="ArgumentException">The input is not rank 2, or the label count is not N.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, K).</exception>
    public Tensor CrossEntropy(int[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (Rank != 2 || labels.Length != Shape[0])
            throw Error("CrossEntropy", $"logits {Format(Shape)} must be (N, K) with N = {labels.Length} labels.", nameof(labels));
        int rows = Shape[0], k = Shape[1];
        for (int i = 0; i < rows; i++)
            if ((uint)labels[i] >= (uint)k)
                throw new ArgumentOutOfRangeException(nameof(labels), $"CrossEntropy: label {labels[i]} at row {i} is outside [0, {k}).");
        var logp = LogSoftmaxValues(rows, k);
        double loss = 0;
        for (int i = 0; i < rows; i++) loss -= logp[i * k + labels[i]];
        var y = Scalar((float)(loss / rows));
        return Node(y, [this], dy => Parallelism.For(rows, k, i =>                 // ∂x_i += dy (softmax_i − onehot_i) / N
        {
            var g = Grad.AsSpan(i * k, k);
            float s = dy[0] / rows;
            for (int j = 0; j < k; j++) g[j] += s * (MathF.Exp(logp[i * k + j]) - (j == labels[i] ? 1f : 0f));
        }));
    }

    /// <summary>Mean squared error <c>(1/n) Σ (x − target)²</c> over all n elements; both operands get gradients.</summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public Tensor MseLoss(Tensor target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!Shape.AsSpan().SequenceEqual(target.Shape))
            throw Error("MseLoss", $"prediction {Format(Shape)} and target {Format(target.Shape)} must have the same shape.", nameof(target));
        var diff = new float[Length];
        TensorPrimitives.Subtract(Data, target.Data, diff);                             // r = x − t
        var y = Scalar(TensorPrimitives.SumOfSquares(diff) / Math.Max(1, Length));
        return Node(y, [this, target], dy =>
        {
            float s = 2f * dy[0] / Math.Max(1, Length);
            if (RequiresGrad) TensorPrimitives.MultiplyAdd(diff, s, Grad!, Grad);           // ∂x += 2 r dy / n
            if (target.RequiresGrad) TensorPrimitives.MultiplyAdd(diff, -s, target.Grad!, target.Grad);
        });
    }

    private float[] LogSoftmaxValues(int rows, int k)
    {
        var logp = new float[rows * k];
        Parallelism.For(rows, k, i =>
        {
            var x = Data.AsSpan(i * k, k);
            var o = logp.AsSpan(i * k, k);
            TensorPrimitives.Subtract(x, TensorPrimitives.Max(x), o);
            TensorPrimitives.Subtract(o, MathF.Log(SumExp(o)), o);
        });
        return logp;
    }

    private static float SumExp(ReadOnlySpan<float> v)
    {
        float s = 0f;
        foreach (float e in v) s += MathF.Exp(e);
        return s;
    }
}
