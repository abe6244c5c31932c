namespace Disentangle.Solvers.GroupSparseSvm;

/// <summary>Options of <see cref="ProjectedGradientSvmDual"/>, the released code's few-shot head; the defaults are its own
/// (<c>dual_reg = 1</c>, <c>num_steps = 5</c>, five conjugate-gradient iterations, ridge = 1/(1000·η)).</summary>
/// <param name="DualRegularisation">ρ of the strongly convex dual term <c>(ρ/(2λ₂))‖β − Y‖²_F</c> (0: the exact dual).</param>
/// <param name="Steps">Projected-gradient steps from the uniform dual point <c>β = 1/N</c>.</param>
/// <param name="ConjugateGradientSteps">Iterations of conjugate gradient on the normal equations of the implicit system.</param>
/// <param name="RidgeFactor">The normal equations' ridge is <c>RidgeFactor/η</c>, η the gradient step.</param>
/// <param name="MaxDegreeOfParallelism">Threads used by batched solves: −1 follows the process policy; a positive value is capped by it.</param>
public sealed record ProjectedGradientSvmOptions(
    double DualRegularisation = 1,
    int Steps = 5,
    int ConjugateGradientSteps = 5,
    double RidgeFactor = 1e-3,
    int MaxDegreeOfParallelism = -1)
{
    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it and its value).</exception>
    public void Validate()
    {
        Guard.NonNegative(DualRegularisation, nameof(DualRegularisation));
        Guard.AtLeast(Steps, 1, nameof(Steps));
        Guard.AtLeast(ConjugateGradientSteps, 1, nameof(ConjugateGradientSteps));
        Guard.NonNegative(RidgeFactor, nameof(RidgeFactor));
        Guard.Threads(MaxDegreeOfParallelism, nameof(MaxDegreeOfParallelism));
    }
}
