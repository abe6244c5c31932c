namespace Disentangle.Tensors;

/// <summary>Draws from common distributions with an explicit <see cref="Random"/> (there is no global RNG).</summary>
public static class RandomExtensions
{
    /// <summary>A standard normal draw (Box–Muller, both uniforms from <paramref name="random"/>).</summary>
    public static double NextGaussian(this Random random)
    {
        double u1 = 1.0 - random.NextDouble();   // (0, 1]
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A Laplace(0, scale) draw.</summary>
    public static double NextLaplace(this Random random, double scale = 1.0)
    {
        double u = random.NextDouble() - 0.5;
        return -scale * Math.Sign(u) * Math.Log(1 - 2 * Math.Abs(u) + double.Epsilon);
    }

    /// <summary>A uniform draw in [low, high).</summary>
    public static double NextUniform(this Random random, double low, double high) => low + (high - low) * random.NextDouble();
}
