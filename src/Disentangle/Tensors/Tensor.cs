namespace Disentangle.Tensors;

/// <summary>A float32 tensor with contiguous row-major storage and an optional gradient (the autodiff node).</summary>
/// <remarks>Operations live in partial files by concept (<c>Tensor.Elementwise.cs</c>, <c>Tensor.Conv.cs</c>, …), each with its
/// backward next to its forward; the graph is in <c>Tensor.Autodiff.cs</c> (its state) and <c>Tape.cs</c> (its reverse sweep).</remarks>
public sealed partial class Tensor
{
    /// <summary>Wraps <paramref name="data"/> (not copied) with the given shape.</summary>
    /// <exception cref="ArgumentException">The data length is not the product of the shape.</exception>
    public Tensor(float[] data, int[] shape, bool requiresGrad = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long size = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentOutOfRangeException(nameof(shape), $"Shape {Format(shape)} has a negative dimension.");
            size *= d;
        }
        if (size != data.Length)
            throw new ArgumentException($"Shape {Format(shape)} holds {size} values but the data has {data.Length}.", nameof(data));
        Data = data;
        Shape = (int[])shape.Clone();
        RequiresGrad = requiresGrad;
    }

    /// <summary>The dimensions, outermost first.</summary>
    public int[] Shape { get; }

    /// <summary>The values, row-major.</summary>
    public float[] Data { get; }

    /// <summary>The accumulated gradient of the backward passes so far, or null if none reached this tensor.</summary>
    /// <remarks>Leaves (parameters, inputs) keep and accumulate it across <see cref="Backward()"/> calls until
    /// <see cref="ZeroGrad"/>; intermediate results release theirs when the backward pass leaves them.</remarks>
    public float[]? Grad { get; internal set; }

    /// <summary>Whether gradients flow to this tensor (parameters, and results of ops on them).</summary>
    public bool RequiresGrad { get; internal set; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>Number of elements.</summary>
    public int Length => Data.Length;

    /// <summary>Size of dimension <paramref name="axis"/> (negative counts from the end).</summary>
    public int Dim(int axis) => Shape[NormalizeAxis(axis, "Dim")];

    /// <summary>Returns the gradient buffer, allocating zeros on first use.</summary>
    public float[] EnsureGrad() => Grad ??= new float[Data.Length];

    /// <summary>Clears the gradient (sets it to null).</summary>
    public void ZeroGrad() => Grad = null;

    /// <summary>Marks this leaf tensor as a parameter (gradients flow to it) or not; returns this tensor.</summary>
    /// <exception cref="InvalidOperationException">The tensor is the result of a recorded op (not a leaf).</exception>
    public Tensor RequireGrad(bool requiresGrad = true)
    {
        if (!IsLeaf) throw new InvalidOperationException($"RequireGrad: {this} is the result of a recorded op; only leaves can change it.");
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>The only value of a one-element tensor.</summary>
    /// <exception cref="InvalidOperationException">The tensor has more or fewer than one element.</exception>
    public float Item() => Length == 1 ? Data[0]
        : throw new InvalidOperationException($"Item: tensor of shape {Format(Shape)} has {Length} elements, not 1.");

    /// <summary>A copy of the values that is not connected to the graph.</summary>
    public Tensor Detach() => new((float[])Data.Clone(), Shape);

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(int[] shape, bool requiresGrad = false) => new(new float[Product(shape)], shape, requiresGrad);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, float value, bool requiresGrad = false)
    {
        var data = new float[Product(shape)];
        Array.Fill(data, value);
        return new(data, shape, requiresGrad);
    }

    /// <summary>A rank-0 tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(float value, bool requiresGrad = false) => new([value], [], requiresGrad);

    /// <summary>A tensor of independent N(0, std²) draws from <paramref name="random"/>.</summary>
    public static Tensor RandN(int[] shape, Random random, float std = 1f, bool requiresGrad = false)
    {
        ArgumentNullException.ThrowIfNull(random);
        var data = new float[Product(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(std * random.NextGaussian());
        return new(data, shape, requiresGrad);
    }

    /// <summary>A tensor of independent U[low, high) draws from <paramref name="random"/>.</summary>
    public static Tensor Uniform(int[] shape, Random random, float low, float high, bool requiresGrad = false)
    {
        ArgumentNullException.ThrowIfNull(random);
        var data = new float[Product(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)random.NextUniform(low, high);
        return new(data, shape, requiresGrad);
    }

    /// <summary>Number of elements of a shape.</summary>
    public static int Product(ReadOnlySpan<int> shape)
    {
        long p = 1;
        foreach (int d in shape) p *= d;
        if (p > Array.MaxLength) throw new ArgumentException($"Shape {Format(shape)} is too large for one array.", nameof(shape));
        return (int)p;
    }

    /// <summary>Formats a shape as <c>[2, 3, 4]</c> for messages.</summary>
    public static string Format(ReadOnlySpan<int> shape) => $"[{string.Join(", ", shape.ToArray())}]";

    /// <inheritdoc/>
    public override string ToString() => $"Tensor{Format(Shape)}{(RequiresGrad ? " (grad)" : "")}";

    /// <summary>An uninitialised-by-contract (zeroed) result tensor of the given shape.</summary>
    internal static Tensor Empty(int[] shape) => new(new float[Product(shape)], shape);

    /// <summary>A result tensor whose values are left as the allocator found them (no zeroing pass over a large array):
    /// only for ops that write every element.</summary>
    internal static Tensor Uninitialized(int[] shape) => new(GC.AllocateUninitializedArray<float>(Product(shape)), shape);

    internal int NormalizeAxis(int axis, string op)
    {
        int a = axis < 0 ? axis + Rank : axis;
        if (a < 0 || a >= Rank)
            throw new ArgumentOutOfRangeException(nameof(axis), $"{op}: axis {axis} is out of range for shape {Format(Shape)}.");
        return a;
    }

    /// <summary>Throws the one ArgumentException of a bad-input path, naming the op.</summary>
    internal static ArgumentException Error(string op, string message, string? parameter = null) => new($"{op}: {message}", parameter);
}
