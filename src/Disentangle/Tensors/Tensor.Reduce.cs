using System.Numerics.Tensors;

namespace Disentangle.Tensors;

public sealed partial class Tensor
{
    /// <summary>Sum of all elements, as a rank-0 tensor.</summary>
    public Tensor Sum()
    {
        var y = Scalar(TensorPrimitives.Sum(Data));
        return Node(y, [this], dy => Chunked(Length, (s, n) => TensorPrimitives.Add(Grad.AsSpan(s, n), dy[0], Grad.AsSpan(s, n))));
    }

    /// <summary>Mean of all elements, as a rank-0 tensor.</summary>
    public Tensor Mean() => Sum().Mul(1f / Math.Max(1, Length));

    /// <summary>Sum over the given axes (negative counts from the end); kept as size 1 when <paramref name="keepDim"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range.</exception>
    /// <exception cref="ArgumentException">An axis is repeated.</exception>
    public Tensor Sum(int[] axes, bool keepDim = false)
    {
        var (keepShape, outShape, _) = ReducedShapes(axes, "Sum");
        var plan = new Broadcast("Sum", Shape, keepShape);
        var y = Empty(keepDim ? keepShape : outShape);
        plan.ReduceInto(Data, y.Data, forA: false);                                  // y[kept] = Σ_reduced x
        int inner = plan.Inner;
        return Node(y, [this], dy => Parallelism.For(plan.Rows, inner, r =>          // ∂x += dy broadcast back
        {
            var (ox, od) = plan.Offsets(r);
            var g = Grad.AsSpan(ox, inner);
            if (plan.BInnerContiguous) TensorPrimitives.Add(g, dy.AsSpan(od, inner), g);
            else TensorPrimitives.Add(g, dy[od], g);
        }));
    }

    /// <summary>Mean over the given axes; see <see cref="Sum(int[], bool)"/>.</summary>
    /// <inheritdoc cref="Sum(int[], bool)" path="/exception"/>
    public Tensor Mean(int[] axes, bool keepDim = false)
    {
        var (_, _, count) = ReducedShapes(axes, "Mean");
        return Sum(axes, keepDim).Mul(1f / Math.Max(1, count));
    }

    private (int[] Keep, int[] Out, int Count) ReducedShapes(int[] axes, string op)
    {
        ArgumentNullException.ThrowIfNull(axes);
        var reduced = new bool[Rank];
        foreach (int axis in axes)
        {
            int a = NormalizeAxis(axis, op);
            if (reduced[a]) throw Error(op, $"axis {axis} is repeated in [{string.Join(", ", axes)}] for shape {Format(Shape)}.", nameof(axes));
            reduced[a] = true;
        }
        var keep = new int[Rank];
        var kept = new List<int>();
        int count = 1;
        for (int i = 0; i < Rank; i++)
        {
            keep[i] = reduced[i] ? 1 : Shape[i];
            if (reduced[i]) count *= Shape[i];
            else kept.Add(Shape[i]);
        }
        return (keep, kept.ToArray(), count);
    }
}
