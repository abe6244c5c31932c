using System.Numerics.Tensors;

namespace Disentangle.Tensors;

public sealed partial class Tensor
{
    private enum BinaryKind { Add, Subtract, Multiply, Divide }

    /// <summary>x + other, with NumPy broadcasting.</summary>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together.</exception>
    public Tensor Add(Tensor other) => Binary(this, other, BinaryKind.Add, "Add");

    /// <summary>x − other, with NumPy broadcasting.</summary>
    /// <inheritdoc cref="Add(Tensor)" path="/exception"/>
    public Tensor Sub(Tensor other) => Binary(this, other, BinaryKind.Subtract, "Sub");

    /// <summary>x ⊙ other (elementwise), with NumPy broadcasting.</summary>
    /// <inheritdoc cref="Add(Tensor)" path="/exception"/>
    public Tensor Mul(Tensor other) => Binary(this, other, BinaryKind.Multiply, "Mul");

    /// <summary>x ⊘ other (elementwise), with NumPy broadcasting.</summary>
    /// <inheritdoc cref="Add(Tensor)" path="/exception"/>
    public Tensor Div(Tensor other) => Binary(this, other, BinaryKind.Divide, "Div");

    /// <summary>x + y (broadcasting).</summary>
    public static Tensor operator +(Tensor x, Tensor y) => x.Add(y);
    /// <summary>x − y (broadcasting).</summary>
    public static Tensor operator -(Tensor x, Tensor y) => x.Sub(y);
    /// <summary>x ⊙ y (broadcasting).</summary>
    public static Tensor operator *(Tensor x, Tensor y) => x.Mul(y);
    /// <summary>x ⊘ y (broadcasting).</summary>
    public static Tensor operator /(Tensor x, Tensor y) => x.Div(y);

    private static Tensor Binary(Tensor a, Tensor b, BinaryKind kind, string op)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var plan = new Broadcast(op, a.Shape, b.Shape);
        var y = Empty(plan.OutShape);
        int inner = plan.Inner;
        Parallelism.For(plan.Rows, inner, r =>
        {
            var (oa, ob) = plan.Offsets(r);
            var dst = y.Data.AsSpan(r * inner, inner);
            if (plan.AInnerContiguous && plan.BInnerContiguous) Apply(kind, a.Data.AsSpan(oa, inner), b.Data.AsSpan(ob, inner), dst);
            else if (plan.AInnerContiguous) Apply(kind, a.Data.AsSpan(oa, inner), b.Data[ob], dst);
            else if (plan.BInnerContiguous) Apply(kind, a.Data[oa], b.Data.AsSpan(ob, inner), dst);
            else dst.Fill(Apply(kind, a.Data[oa], b.Data[ob]));
        });
        return Node(y, [a, b], dy => BinaryBackward(a, b, y, dy, kind, plan));
    }

    /// <summary>∂a += dy·∂y/∂a and ∂b += dy·∂y/∂b, each summed over the dimensions that operand was broadcast along.</summary>
    private static void BinaryBackward(Tensor a, Tensor b, Tensor y, float[] dy, BinaryKind kind, Broadcast plan)
    {
        int n = y.Length;
        if (a.RequiresGrad)
        {
            // Add/Sub: t = dy ; Mul: t = dy·b ; Div: t = dy / b
            var t = kind is BinaryKind.Add or BinaryKind.Subtract ? dy : Local(plan, dy, b, kind == BinaryKind.Multiply ? BinaryKind.Multiply : BinaryKind.Divide, operandIsA: false);
            Accumulate(plan, t, a, forA: true, n);
        }
        if (b.RequiresGrad)
        {
            float[] t;
            if (kind == BinaryKind.Add) t = dy;
            else if (kind == BinaryKind.Subtract) { t = new float[n]; TensorPrimitives.Negate(dy, t); }      // t = −dy
            else if (kind == BinaryKind.Multiply) t = Local(plan, dy, a, BinaryKind.Multiply, operandIsA: true);   // t = dy·a
            else
            {
                t = new float[n];                                                                            // t = −dy·y / b
                var q = Local(plan, y.Data, b, BinaryKind.Divide, operandIsA: false);
                TensorPrimitives.Multiply(dy, q, t);
                TensorPrimitives.Negate(t, t);
            }
            Accumulate(plan, t, b, forA: false, n);
        }
    }

    /// <summary>t = v ∘ operand (broadcast to the output), ∘ ∈ {×, ÷}.</summary>
    private static float[] Local(Broadcast plan, float[] v, Tensor operand, BinaryKind kind, bool operandIsA)
    {
        var t = new float[v.Length];
        int inner = plan.Inner;
        bool contiguous = operandIsA ? plan.AInnerContiguous : plan.BInnerContiguous;
        Parallelism.For(plan.Rows, inner, r =>
        {
            var (oa, ob) = plan.Offsets(r);
            int o = operandIsA ? oa : ob;
            var src = v.AsSpan(r * inner, inner);
            var dst = t.AsSpan(r * inner, inner);
            if (contiguous) Apply(kind, src, operand.Data.AsSpan(o, inner), dst);
            else Apply(kind, src, operand.Data[o], dst);
        });
        return t;
    }

    private static void Accumulate(Broadcast plan, float[] t, Tensor operand, bool forA, int n)
    {
        var g = operand.Grad!;
        if (operand.Length == n)
            Chunked(n, (s, len) => TensorPrimitives.Add(g.AsSpan(s, len), t.AsSpan(s, len), g.AsSpan(s, len)));
        else plan.ReduceInto(t, g, forA);
    }

    private static void Apply(BinaryKind kind, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d)
    {
        switch (kind)
        {
            case BinaryKind.Add: TensorPrimitives.Add(x, y, d); break;
            case BinaryKind.Subtract: TensorPrimitives.Subtract(x, y, d); break;
            case BinaryKind.Multiply: TensorPrimitives.Multiply(x, y, d); break;
            default: TensorPrimitives.Divide(x, y, d); break;
        }
    }

    private static void Apply(BinaryKind kind, ReadOnlySpan<float> x, float y, Span<float> d)
    {
        switch (kind)
        {
            case BinaryKind.Add: TensorPrimitives.Add(x, y, d); break;
            case BinaryKind.Subtract: TensorPrimitives.Subtract(x, y, d); break;
            case BinaryKind.Multiply: TensorPrimitives.Multiply(x, y, d); break;
            default: TensorPrimitives.Divide(x, y, d); break;
        }
    }

    private static void Apply(BinaryKind kind, float x, ReadOnlySpan<float> y, Span<float> d)
    {
        switch (kind)
        {
            case BinaryKind.Add: TensorPrimitives.Add(y, x, d); break;
            case BinaryKind.Subtract: TensorPrimitives.Subtract(x, y, d); break;
            case BinaryKind.Multiply: TensorPrimitives.Multiply(y, x, d); break;
            default: TensorPrimitives.Divide(x, y, d); break;
        }
    }

    private static float Apply(BinaryKind kind, float x, float y) => kind switch
    {
        BinaryKind.Add => x + y,
        BinaryKind.Subtract => x - y,
        BinaryKind.Multiply => x * y,
        _ => x / y,
    };
}
