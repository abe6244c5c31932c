namespace Disentangle.Tensors;

/// <summary>One layer of <see cref="Tensor.ConvReluChain"/>: a convolution with <paramref name="Weight"/> (O, C, kh, kw),
/// an optional <paramref name="Bias"/> (O), <paramref name="Stride"/> and <paramref name="Padding"/>, then a ReLU.</summary>
public readonly record struct ConvReluLayer(Tensor Weight, Tensor? Bias, int Stride, Padding2d Padding);
