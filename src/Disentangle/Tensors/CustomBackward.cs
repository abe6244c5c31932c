namespace Disentangle.Tensors;

/// <summary>The vector–Jacobian product of a custom op (see <see cref="Tensor.Custom"/>).</summary>
/// <param name="outputGrad">∂L/∂output, flattened row-major.</param>
/// <param name="inputGrads">Per input, the gradient buffer to ADD into, or null when that input needs no gradient.</param>
public delegate void CustomBackward(float[] outputGrad, float[]?[] inputGrads);
