using System.Numerics;
using System.Numerics.Tensors;

namespace Disentangle.Tensors;

public sealed partial class Tensor
{
    /// <summary>Runs a span kernel over [0, n) in parallel chunks (elementwise work only: chunks are independent).</summary>
    internal static void Chunked(int n, Action<int, int> kernel) => Parallelism.ForRanges(n, 1, (s, e) => kernel(s, e - s));

    /// <summary>−x.</summary>
    public Tensor Neg() => Mul(-1f);

    /// <summary>x + c for a scalar c.</summary>
    public Tensor Add(float c)
    {
        var y = Empty(Shape);
        Chunked(Length, (s, n) => TensorPrimitives.Add(Data.AsSpan(s, n), c, y.Data.AsSpan(s, n)));   // y = x + c
        return Node(y, [this], dy => Chunked(Length, (s, n) =>
            TensorPrimitives.Add(Grad.AsSpan(s, n), dy.AsSpan(s, n), Grad.AsSpan(s, n))));          // ∂x += dy
    }

    /// <summary>c·x for a scalar c.</summary>
    public Tensor Mul(float c)
    {
        var y = Empty(Shape);
        Chunked(Length, (s, n) => TensorPrimitives.Multiply(Data.AsSpan(s, n), c, y.Data.AsSpan(s, n)));   // y = c x
        return Node(y, [this], dy => Chunked(Length, (s, n) =>
            TensorPrimitives.MultiplyAdd(dy.AsSpan(s, n), c, Grad.AsSpan(s, n), Grad.AsSpan(s, n))));     // ∂x += c dy
    }

    /// <summary>eˣ.</summary>
    public Tensor Exp()
    {
        var y = Empty(Shape);
        Chunked(Length, (s, n) => TensorPrimitives.Exp(Data.AsSpan(s, n), y.Data.AsSpan(s, n)));
        return Node(y, [this], dy => Chunked(Length, (s, n) =>                                          // ∂x += dy·eˣ
            TensorPrimitives.MultiplyAdd(dy.AsSpan(s, n), y.Data.AsSpan(s, n), Grad.AsSpan(s, n), Grad.AsSpan(s, n))));
    }

    /// <summary>Natural logarithm (NaN below 0, −∞ at 0).</summary>
    public Tensor Log()
    {
        var y = Empty(Shape);
        Chunked(Length, (s, n) => TensorPrimitives.Log(Data.AsSpan(s, n), y.Data.AsSpan(s, n)));
        return Node(y, [this], dy => Chunked(Length, (s, n) =>
        {
            var g = Grad.AsSpan(s, n);
            for (int i = 0; i < n; i++) g[i] += dy[s + i] / Data[s + i];                                 // ∂x += dy / x
        }));
    }

    /// <summary>√x.</summary>
    public Tensor Sqrt()
    {
        var y = Empty(Shape);
        Chunked(Length, (s, n) => TensorPrimitives.Sqrt(Data.AsSpan(s, n), y.Data.AsSpan(s, n)));
        return Node(y, [this], dy => Chunked(Length, (s, n) =>
        {
            var g = Grad.AsSpan(s, n);
            for (int i = 0; i < n; i++) g[i] += 0.5f * dy[s + i] / y.Data[s + i];                       // ∂x += dy / (2√x)
        }));
    }

    /// <summary>x².</summary>
    public Tensor Square()
    {
        var y = Empty(Shape);
        Chunked(Length, (s, n) => TensorPrimitives.Multiply(Data.AsSpan(s, n), Data.AsSpan(s, n), y.Data.AsSpan(s, n)));
        return Node(y, [this], dy => Chunked(Length, (s, n) =>
        {
            var g = Grad.AsSpan(s, n);
            for (int i = 0; i < n; i++) g[i] += 2f * dy[s + i] * Data[s + i];                          // ∂x += 2 x dy
        }));
    }

    /// <summary>xᵖ for a scalar exponent p (NaN for negative x and non-integer p).</summary>
    public Tensor Pow(float p)
    {
        var y = Empty(Shape);
        Chunked(Length, (s, n) => TensorPrimitives.Pow(Data.AsSpan(s, n), p, y.Data.AsSpan(s, n)));
        return Node(y, [this], dy => Chunked(Length, (s, n) =>
        {
            var g = Grad.AsSpan(s, n);
            for (int i = 0; i < n; i++) g[i] += dy[s + i] * p * MathF.Pow(Data[s + i], p - 1f);          // ∂x += p xᵖ⁻¹ dy
        }));
    }

    /// <summary>|x| (subgradient 0 at 0).</summary>
    public Tensor Abs()
    {
        var y = Empty(Shape);
        Chunked(Length, (s, n) => TensorPrimitives.Abs(Data.AsSpan(s, n), y.Data.AsSpan(s, n)));
        return Node(y, [this], dy => Chunked(Length, (s, n) =>
        {
            var g = Grad.AsSpan(s, n);
            for (int i = 0; i < n; i++) g[i] += dy[s + i] * MathF.Sign(Data[s + i]);                    // ∂x += sign(x) dy
        }));
    }

    /// <summary>tanh x.</summary>
    public Tensor Tanh()
    {
        var y = Empty(Shape);
        Chunked(Length, (s, n) => TensorPrimitives.Tanh(Data.AsSpan(s, n), y.Data.AsSpan(s, n)));
        return Node(y, [this], dy => Chunked(Length, (s, n) =>
        {
            var g = Grad.AsSpan(s, n);
            for (int i = 0; i < n; i++) g[i] += dy[s + i] * (1f - y.Data[s + i] * y.Data[s + i]);      // ∂x += (1 − y²) dy
        }));
    }

    /// <summary>σ(x) = 1 / (1 + e⁻ˣ).</summary>
    public Tensor Sigmoid()
    {
        var y = Empty(Shape);
        Chunked(Length, (s, n) => TensorPrimitives.Sigmoid(Data.AsSpan(s, n), y.Data.AsSpan(s, n)));
        return Node(y, [this], dy => Chunked(Length, (s, n) =>
        {
            var g = Grad.AsSpan(s, n);
            for (int i = 0; i < n; i++) g[i] += dy[s + i] * y.Data[s + i] * (1f - y.Data[s + i]);      // ∂x += y(1 − y) dy
        }));
    }

    /// <summary>max(x, 0); the subgradient at 0 is 0.</summary>
    public Tensor Relu()
    {
        var y = Uninitialized(Shape);   // max(x, 0) writes every value
        Chunked(Length, (s, n) => TensorPrimitives.Max(Data.AsSpan(s, n), 0f, y.Data.AsSpan(s, n)));   // y = max(x, 0)
        return Node(y, [this], dy => Chunked(Length, (s, n) => ReluBackward(Data.AsSpan(s, n), dy.AsSpan(s, n), Grad.AsSpan(s, n))));
    }

    /// <summary>x for x &gt; 0, slope·x otherwise (the derivative at 0 is the slope).</summary>
    public Tensor LeakyRelu(float slope = 0.01f)
    {
        var y = Empty(Shape);
        Chunked(Length, (s, n) =>
        {
            var x = Data.AsSpan(s, n);
            var o = y.Data.AsSpan(s, n);
            for (int i = 0; i < n; i++) o[i] = x[i] > 0f ? x[i] : slope * x[i];
        });
        return Node(y, [this], dy => Chunked(Length, (s, n) =>
        {
            var g = Grad.AsSpan(s, n);
            for (int i = 0; i < n; i++) g[i] += Data[s + i] > 0f ? dy[s + i] : slope * dy[s + i];
        }));
    }

    /// <summary>g += dy where x &gt; 0 (branch-free).</summary>
    internal static void ReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> g)
    {
        int i = 0;
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)   // the same additions as the loop below, in SIMD
        {
            var keep = Vector.GreaterThan(new Vector<float>(x[i..]), Vector<float>.Zero);
            (new Vector<float>(g[i..]) + Vector.ConditionalSelect(keep, new Vector<float>(dy[i..]), Vector<float>.Zero)).CopyTo(g[i..]);
        }
        for (; i < x.Length; i++) g[i] += x[i] > 0f ? dy[i] : 0f;
    }

    /// <summary>−x.</summary>
    public static Tensor operator -(Tensor x) => x.Neg();
    /// <summary>x + c.</summary>
    public static Tensor operator +(Tensor x, float c) => x.Add(c);
    /// <summary>c + x.</summary>
    public static Tensor operator +(float c, Tensor x) => x.Add(c);
    /// <summary>x − c.</summary>
    public static Tensor operator -(Tensor x, float c) => x.Add(-c);
    /// <summary>c − x.</summary>
    public static Tensor operator -(float c, Tensor x) => x.Neg().Add(c);
    /// <summary>c·x.</summary>
    public static Tensor operator *(Tensor x, float c) => x.Mul(c);
    /// <summary>c·x.</summary>
    public static Tensor operator *(float c, Tensor x) => x.Mul(c);
    /// <summary>x / c.</summary>
    public static Tensor operator /(Tensor x, float c) => x.Mul(1f / c);
}
