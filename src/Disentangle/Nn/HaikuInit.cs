using Disentangle.Tensors;

namespace Disentangle.Nn;

/// <summary>How the encoders of the 3D Shapes experiments are initialised.</summary>
public enum Initialisation
{
    /// <summary>Haiku's defaults, as the released code (<see cref="HaikuInit"/>).</summary>
    Haiku,
    /// <summary>PyTorch's defaults: Kaiming-uniform weights (bound 1/√fan-in) and uniform biases (the layers' own initialisation).</summary>
    KaimingUniform,
}

/// <summary>Haiku's default initialisation of <c>hk.Linear</c> and <c>hk.Conv2D</c>, applied to every <see cref="Linear"/> and
/// <see cref="Conv2d"/> of a module tree (in registration order), with zero biases.</summary>
/// <remarks><c>hk.Linear</c>: <c>TruncatedNormal(stddev = 1/√fan-in)</c>, a normal cut at ±2 parameter-σ without
/// correction, so the weights' standard deviation is 0.8796/√fan-in. <c>hk.Conv2D</c>: <c>VarianceScaling(1, fan_in,
/// truncated_normal)</c>, which divides the parameter σ by 0.87962566103423978 (the std of a standard normal truncated to
/// [−2, 2]) so the weights' standard deviation is exactly 1/√fan-in, fan-in = in·k·k.</remarks>
public static class HaikuInit
{
    /// <summary>The standard deviation of a standard normal truncated to [−2, 2] (scipy.stats.truncnorm.std(−2, 2)).</summary>
    public const double TruncatedStd = 0.87962566103423978;

    /// <summary>Re-draws every Linear and Conv2d weight of <paramref name="module"/> as Haiku would and zeroes the biases.</summary>
    public static void Apply(Module module, Random random)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(random);
        switch (module)
        {
            case Linear linear:
                TruncatedNormal(linear.Weight, 1.0 / Math.Sqrt(linear.InFeatures), random);
                if (linear.Bias is not null) Init.Constant(linear.Bias, 0f);
                break;
            case Conv2d conv:
                TruncatedNormal(conv.Weight, 1.0 / Math.Sqrt(Init.Fans(conv.Weight.Shape).FanIn) / TruncatedStd, random);
                if (conv.Bias is not null) Init.Constant(conv.Bias, 0f);
                break;
        }
        foreach (var (_, child) in module.NamedChildren()) Apply(child, random);
    }

    /// <summary>σ·z with z a standard normal redrawn until it falls in [−2, 2].</summary>
    public static void TruncatedNormal(Tensor tensor, double sigma, Random random)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < tensor.Length; i++)
        {
            double z;
            do z = random.NextGaussian(); while (Math.Abs(z) > 2);
            tensor.Data[i] = (float)(sigma * z);
        }
    }
}
