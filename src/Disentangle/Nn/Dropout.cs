using Disentangle.Tensors;

namespace Disentangle.Nn;

/// <summary>Inverted dropout: in training, zeroes each value with probability p and scales the rest by 1/(1 − p);
/// identity in evaluation.</summary>
public sealed class Dropout : Module
{
    private readonly Random random;

    /// <summary>Creates the layer; masks are drawn from <paramref name="random"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is outside [0, 1).</exception>
    public Dropout(float probability, Random random)
    {
        if (probability is < 0f or >= 1f) throw new ArgumentOutOfRangeException(nameof(probability), $"Dropout: probability {probability} must be in [0, 1).");
        ArgumentNullException.ThrowIfNull(random);
        Probability = probability;
        this.random = random;
    }

    /// <summary>Drop probability p.</summary>
    public float Probability { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (!Training || Probability == 0f) return input;
        var mask = new float[input.Length];
        float keep = 1f / (1f - Probability);
        for (int i = 0; i < mask.Length; i++) mask[i] = random.NextDouble() < Probability ? 0f : keep;
        return input.Mul(new Tensor(mask, input.Shape));                  // y = x ⊙ m, ∂x = dy ⊙ m
    }
}
