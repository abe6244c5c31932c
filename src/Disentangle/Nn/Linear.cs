using Disentangle.Tensors;

namespace Disentangle.Nn;

/// <summary>Affine layer y = x·Wᵀ + b; parameters <c>weight</c> (out, in) and <c>bias</c> (out).</summary>
/// <remarks>Initialised like PyTorch: Kaiming-uniform weight (bound 1/√in) and uniform bias (bound 1/√in).</remarks>
public sealed class Linear : Module
{
    /// <summary>Creates the layer, drawing its initial values from <paramref name="random"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public Linear(int inFeatures, int outFeatures, Random random, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        ArgumentNullException.ThrowIfNull(random);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", Tensor.Zeros([outFeatures, inFeatures]));
        Init.KaimingUniform(Weight, inFeatures, random);
        if (bias)
        {
            Bias = RegisterParameter("bias", Tensor.Zeros([outFeatures]));
            Init.BiasUniform(Bias, inFeatures, random);
        }
    }

    /// <summary>Input width.</summary>
    public int InFeatures { get; }

    /// <summary>Output width.</summary>
    public int OutFeatures { get; }

    /// <summary>W, shape (out, in).</summary>
    public Tensor Weight { get; }

    /// <summary>b, shape (out), or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>(…, in) → (…, out).</summary>
    public override Tensor Forward(Tensor input) => input.Linear(Weight, Bias);
}
