namespace Disentangle.Optim;

/// <summary>Hyperparameters of <see cref="Sgd"/> (PyTorch's torch.optim.SGD semantics).</summary>
/// <param name="LearningRate">Step size α (≥ 0).</param>
/// <param name="Momentum">Momentum μ in [0, 1); 0 disables the buffer.</param>
/// <param name="Nesterov">Nesterov momentum (needs μ &gt; 0 and no dampening).</param>
/// <param name="WeightDecay">L2 coefficient added to the gradient (≥ 0).</param>
/// <param name="Dampening">Dampening τ in [0, 1): the buffer update is <c>b ← μb + (1−τ)g</c>.</param>
public sealed record SgdOptions(
    double LearningRate,
    double Momentum = 0,
    bool Nesterov = false,
    double WeightDecay = 0,
    double Dampening = 0);
