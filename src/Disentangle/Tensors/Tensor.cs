namespace Disentangle.Tensors;

/// <summary>A float32 tensor with contiguous row-major storage and an optional gradient (the autodiff node).</summary>
/// <remarks>Operations live in partial files by concept (<c>Tensor.Elementwise.cs</c>, <c>Tensor.Conv.cs</c>, …), each with its
/// backward next to its forward; the tape is in <c>Autodiff/</c>.</remarks>
public sealed partial class Tensor
{
    /// <summary>Wraps <paramref name="data"/> (not copied) with the given shape.</summary>
    /// <exception cref="ArgumentException">The data length is not the product of the shape.</exception>
    public Tensor(float[] data, int[] shape, bool requiresGrad = false)
    {
        long size = 1;
        foreach (int d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            size *= d;
        }
        if (size != data.Length)
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] holds {size} values but the data has {data.Length}.", nameof(data));
        Data = data;
        Shape = (int[])shape.Clone();
        RequiresGrad = requiresGrad;
    }

    /// <summary>The dimensions, outermost first.</summary>
    public int[] Shape { get; }

    /// <summary>The values, row-major.</summary>
    public float[] Data { get; }

    /// <summary>The accumulated gradient of the last backward pass, or null if none reached this tensor.</summary>
    public float[]? Grad { get; internal set; }

    /// <summary>Whether gradients flow to this tensor (parameters, and results of ops on them).</summary>
    public bool RequiresGrad { get; internal set; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>Number of elements.</summary>
    public int Length => Data.Length;

    /// <summary>Returns the gradient buffer, allocating zeros on first use.</summary>
    public float[] EnsureGrad() => Grad ??= new float[Data.Length];

    /// <summary>Clears the gradient (sets it to null).</summary>
    public void ZeroGrad() => Grad = null;

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(int[] shape, bool requiresGrad = false) => new(new float[Product(shape)], shape, requiresGrad);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, float value, bool requiresGrad = false)
    {
        var data = new float[Product(shape)];
        Array.Fill(data, value);
        return new(data, shape, requiresGrad);
    }

    /// <summary>A tensor of independent N(0, std²) draws from <paramref name="random"/>.</summary>
    public static Tensor RandN(int[] shape, Random random, float std = 1f, bool requiresGrad = false)
    {
        var data = new float[Product(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(std * random.NextGaussian());
        return new(data, shape, requiresGrad);
    }

    /// <summary>A tensor of independent U[low, high) draws from <paramref name="random"/>.</summary>
    public static Tensor Uniform(int[] shape, Random random, float low, float high, bool requiresGrad = false)
    {
        var data = new float[Product(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)random.NextUniform(low, high);
        return new(data, shape, requiresGrad);
    }

    /// <summary>Number of elements of a shape.</summary>
    public static int Product(ReadOnlySpan<int> shape)
    {
        long p = 1;
        foreach (int d in shape) p *= d;
        if (p > Array.MaxLength) throw new ArgumentException($"Shape [{string.Join(", ", shape.ToArray())}] is too large for one array.", nameof(shape));
        return (int)p;
    }

    /// <inheritdoc/>
    public override string ToString() => $"Tensor[{string.Join(", ", Shape)}]{(RequiresGrad ? " (grad)" : "")}";
}
