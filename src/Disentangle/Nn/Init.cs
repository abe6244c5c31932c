using Disentangle.Tensors;

namespace Disentangle.Nn;

/// <summary>Weight initialisers, all drawing from an explicit <see cref="Random"/>; they overwrite the tensor's values.</summary>
/// <remarks>Fans follow PyTorch: for a weight of shape (out, in, k…), fan-in = in·Πk and fan-out = out·Πk.</remarks>
public static class Init
{
    /// <summary>(fan-in, fan-out) of a weight shape (out, in, k…).</summary>
    /// <exception cref="ArgumentException">The shape has rank below 2.</exception>
    public static (int FanIn, int FanOut) Fans(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length < 2) throw new ArgumentException($"Init.Fans: weight shape {Tensor.Format(shape)} needs rank ≥ 2.", nameof(shape));
        int receptive = Tensor.Product(shape.AsSpan(2));
        return (shape[1] * receptive, shape[0] * receptive);
    }

    /// <summary>He/Kaiming uniform: U(−b, b), <c>b = gain·√(3/fan)</c>, <c>gain = √(2/(1 + a²))</c>.</summary>
    /// <remarks>The default a = √5 with fan = fan-in is PyTorch's default for Linear and Conv2d weights (b = 1/√fan-in).</remarks>
    public static void KaimingUniform(Tensor weight, int fan, Random random, double a = 2.2360679774997896)
    {
        double bound = Math.Sqrt(2.0 / (1 + a * a)) * Math.Sqrt(3.0 / fan);
        Uniform(weight, -bound, bound, random);
    }

    /// <summary>He/Kaiming normal: N(0, σ²), <c>σ = gain/√fan</c>, <c>gain = √(2/(1 + a²))</c> (a = 0: ReLU).</summary>
    public static void KaimingNormal(Tensor weight, int fan, Random random, double a = 0)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fan);
        double std = Math.Sqrt(2.0 / (1 + a * a)) / Math.Sqrt(fan);
        for (int i = 0; i < weight.Length; i++) weight.Data[i] = (float)(std * random.NextGaussian());
    }

    /// <summary>Glorot/Xavier uniform: U(−b, b), <c>b = gain·√(6/(fan-in + fan-out))</c>.</summary>
    public static void GlorotUniform(Tensor weight, int fanIn, int fanOut, Random random, double gain = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn + fanOut);
        double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        Uniform(weight, -bound, bound, random);
    }

    /// <summary>PyTorch's default bias: U(−1/√fan-in, 1/√fan-in).</summary>
    public static void BiasUniform(Tensor bias, int fanIn, Random random)
    {
        double bound = fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0;
        Uniform(bias, -bound, bound, random);
    }

    /// <summary>U(low, high) draws.</summary>
    public static void Uniform(Tensor tensor, double low, double high, Random random)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < tensor.Length; i++) tensor.Data[i] = (float)random.NextUniform(low, high);
    }

    /// <summary>Sets every value to <paramref name="value"/>.</summary>
    public static void Constant(Tensor tensor, float value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Array.Fill(tensor.Data, value);
    }
}
