using Disentangle.Tensors;

namespace Disentangle.Nn;

/// <summary>Multi-layer perceptron: Linear(w₀→w₁) → act → … → Linear(w_{L−1}→w_L), no activation after the last layer.</summary>
public sealed class Mlp : Module
{
    private readonly Sequential layers;

    /// <summary>Creates the network for the given widths (input first, output last).</summary>
    /// <param name="widths">At least two widths, all positive.</param>
    /// <param name="random">Source of the initial values.</param>
    /// <param name="activation">Makes one activation module per hidden layer; null means <see cref="ReLU"/>.</param>
    /// <exception cref="ArgumentException">Fewer than two widths, or a width is not positive.</exception>
    public Mlp(int[] widths, Random random, Func<Module>? activation = null)
    {
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Length < 2 || widths.Any(w => w <= 0))
            throw new ArgumentException($"Mlp: widths [{string.Join(", ", widths)}] must hold at least two positive sizes.", nameof(widths));
        activation ??= () => new ReLU();
        var modules = new List<Module>();
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            modules.Add(new Linear(widths[i], widths[i + 1], random));
            if (i + 2 < widths.Length) modules.Add(activation());
        }
        Widths = (int[])widths.Clone();
        layers = RegisterModule("layers", new Sequential([.. modules]));
    }

    /// <summary>The widths, input first.</summary>
    public IReadOnlyList<int> Widths { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => layers.Forward(input);
}
