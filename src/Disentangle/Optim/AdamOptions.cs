namespace Disentangle.Optim;

/// <summary>Hyperparameters of <see cref="Adam"/>.</summary>
/// <param name="LearningRate">Step size α (≥ 0).</param>
/// <param name="Beta1">Decay of the first-moment average, in [0, 1).</param>
/// <param name="Beta2">Decay of the second-moment average, in [0, 1).</param>
/// <param name="Epsilon">Added to √v̂ in the denominator (≥ 0).</param>
/// <param name="WeightDecay">Weight decay coefficient (≥ 0).</param>
/// <param name="DecoupledWeightDecay">False: L2 penalty added to the gradient (torch.optim.Adam); true: decoupled
/// decay θ ← θ(1 − α·wd) before the Adam step (AdamW, Loshchilov &amp; Hutter 2019).</param>
public sealed record AdamOptions(
    double LearningRate = 1e-3,
    double Beta1 = 0.9,
    double Beta2 = 0.999,
    double Epsilon = 1e-8,
    double WeightDecay = 0,
    bool DecoupledWeightDecay = false);
