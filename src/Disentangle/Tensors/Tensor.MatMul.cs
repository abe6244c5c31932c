using System.Numerics.Tensors;

namespace Disentangle.Tensors;

public sealed partial class Tensor
{
    /// <summary>Matrix product: (m, k)·(k, n) → (m, n); batched (b, m, k)·(b, k, n) → (b, m, n); or (b, m, k)·(k, n) → (b, m, n).</summary>
    /// <exception cref="ArgumentException">Ranks other than these, or inner or batch dimensions differ.</exception>
    public Tensor MatMul(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        bool ok = (Rank == 2 || Rank == 3) && (other.Rank == 2 || (other.Rank == 3 && Rank == 3 && other.Shape[0] == Shape[0]))
                  && Shape[^1] == other.Shape[^2];
        if (!ok) throw Error("MatMul", $"cannot multiply {Format(Shape)} by {Format(other.Shape)} (need (m,k)·(k,n), (b,m,k)·(b,k,n) or (b,m,k)·(k,n)).", nameof(other));
        if (other.Rank == 2)   // (…, m, k)·(k, n): one GEMM over all rows
        {
            int rows = Length / Shape[^1];
            return RowsTimes(other, rows, Shape[..^1].Append(other.Shape[1]).ToArray());
        }
        int batch = Shape[0], m = Shape[1], k = Shape[2], n = other.Shape[2];
        var y = Empty([batch, m, n]);
        for (int b = 0; b < batch; b++)                                                          // Y_b = A_b B_b
            Gemm.Multiply(false, false, m, n, k, 1f, Data.AsSpan(b * m * k), k, other.Data.AsSpan(b * k * n), n, 0f, y.Data.AsSpan(b * m * n), n);
        return Node(y, [this, other], dy =>
        {
            for (int b = 0; b < batch; b++)
            {
                if (RequiresGrad)                                                                // ∂A_b += dY_b B_bᵀ
                    Gemm.Multiply(false, true, m, k, n, 1f, dy.AsSpan(b * m * n), n, other.Data.AsSpan(b * k * n), n, 1f, Grad.AsSpan(b * m * k), k);
                if (other.RequiresGrad)                                                          // ∂B_b += A_bᵀ dY_b
                    Gemm.Multiply(true, false, k, n, m, 1f, Data.AsSpan(b * m * k), k, dy.AsSpan(b * m * n), n, 1f, other.Grad.AsSpan(b * k * n), n);
            }
        });
    }

    private Tensor RowsTimes(Tensor w, int m, int[] outShape)
    {
        int k = w.Shape[0], n = w.Shape[1];
        var y = Empty(outShape);
        Gemm.Multiply(false, false, m, n, k, 1f, Data, k, w.Data, n, 0f, y.Data, n);            // Y = X W
        return Node(y, [this, w], dy =>
        {
            if (RequiresGrad) Gemm.Multiply(false, true, m, k, n, 1f, dy, n, w.Data, n, 1f, Grad, k);      // ∂X += dY Wᵀ
            if (w.RequiresGrad) Gemm.Multiply(true, false, k, n, m, 1f, Data, k, dy, n, 1f, w.Grad, n);    // ∂W += Xᵀ dY
        });
    }

    /// <summary>Affine map y = x·Wᵀ + b over the last axis (PyTorch's layout: <paramref name="weight"/> is (out, in)).</summary>
    /// <param name="weight">Shape (out, in).</param>
    /// <param name="bias">Shape (out), or null.</param>
    /// <exception cref="ArgumentException">The last axis of x is not <c>in</c>, or the bias length is not <c>out</c>.</exception>
    public Tensor Linear(Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (Rank < 1 || weight.Rank != 2 || Shape[^1] != weight.Shape[1])
            throw Error("Linear", $"input {Format(Shape)} does not match weight {Format(weight.Shape)} (need (…, in) and (out, in)).", nameof(weight));
        int outF = weight.Shape[0], inF = weight.Shape[1], m = Length / Math.Max(1, inF);
        if (bias is not null && (bias.Rank != 1 || bias.Length != outF))
            throw Error("Linear", $"bias {Format(bias.Shape)} does not match weight {Format(weight.Shape)} (need ({outF})).", nameof(bias));
        var y = Empty(Shape[..^1].Append(outF).ToArray());
        if (bias is not null) for (int i = 0; i < m; i++) bias.Data.CopyTo(y.Data, i * outF);
        Gemm.Multiply(false, true, m, outF, inF, 1f, Data, inF, weight.Data, inF, bias is null ? 0f : 1f, y.Data, outF);   // Y = X Wᵀ + 1 bᵀ
        Tensor[] parents = bias is null ? [this, weight] : [this, weight, bias];
        return Node(y, parents, dy =>
        {
            if (RequiresGrad) Gemm.Multiply(false, false, m, inF, outF, 1f, dy, outF, weight.Data, inF, 1f, Grad, inF);   // ∂X += dY W
            if (weight.RequiresGrad) Gemm.Multiply(true, false, outF, inF, m, 1f, dy, outF, Data, inF, 1f, weight.Grad, inF); // ∂W += dYᵀ X
            if (bias is { RequiresGrad: true })
                for (int i = 0; i < m; i++) TensorPrimitives.Add(bias.Grad!, dy.AsSpan(i * outF, outF), bias.Grad);        // ∂b += Σ_rows dY
        });
    }
}
