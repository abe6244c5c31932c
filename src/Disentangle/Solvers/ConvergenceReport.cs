namespace Disentangle.Solvers;

/// <summary>How a solve ended; convergence is data, never a warning.</summary>
/// <param name="Epochs">Passes of coordinate descent (0 for closed-form solvers).</param>
/// <param name="Objective">Primal objective <c>P(W)</c> at the returned coefficients.</param>
/// <param name="DualityGap">P(W) − D(Θ) at the returned coefficients (an upper bound on P(W) − P(W*)).</param>
/// <param name="GapTolerance">The absolute gap the solver had to reach.</param>
/// <param name="Converged">True when <see cref="DualityGap"/> ≤ <see cref="GapTolerance"/>; always true for closed-form
/// solvers (their tolerance is 0 and their gap measures round-off).</param>
/// <param name="Jitter">Diagonal shift a factorisation needed (0 when none; only closed-form solvers use one).</param>
public sealed record ConvergenceReport(int Epochs, double Objective, double DualityGap, double GapTolerance, bool Converged, double Jitter = 0);
