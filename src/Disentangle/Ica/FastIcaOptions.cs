using Disentangle.Tensors;

namespace Disentangle.Ica;

/// <summary>Settings of <see cref="FastIca"/> (scikit-learn's parallel algorithm, unit-variance whitening).</summary>
/// <param name="Components">Number of sources k to extract (the top-k principal components are kept); null means all m features.</param>
/// <param name="Contrast">The contrast G; null means <see cref="LogCosh"/> with α = 1.</param>
/// <param name="Tolerance">Stop when <c>max_i | |⟨w_i^new, w_i⟩| − 1 | &lt; Tolerance</c>.</param>
/// <param name="MaxIterations">Upper bound on fixed-point iterations.</param>
/// <param name="InitialUnmixing">Initial unmixing in the whitened space, shape (k, k); null draws it from N(0, 1) with the
/// <see cref="Random"/> passed to <see cref="FastIca.Fit"/>.</param>
public sealed record FastIcaOptions(
    int? Components = null,
    IContrast? Contrast = null,
    double Tolerance = 1e-4,
    int MaxIterations = 200,
    Matrix? InitialUnmixing = null);
