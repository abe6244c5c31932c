using System.Numerics.Tensors;
using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>The inner Ridge: <c>min_W ‖XW − Y‖²_F/(2n) + (λ/2)‖W‖²_F</c> in closed form, with its exact VJP.</summary>
/// <remarks><c>W = (XᵀX/n + λI)⁻¹XᵀY/n</c> by Cholesky when n ≥ m, or <c>W = Xᵀ(XXᵀ/n + λI)⁻¹Y/n</c> (the n×n dual
/// form) when n &lt; m. VJP: with <c>U = −(XᵀX/n + λI)⁻¹g</c>, <c>∂L/∂X = (1/n)[(XW − Y)Uᵀ + XUWᵀ]</c>,
/// <c>∂L/∂Y = −(1/n)XU</c>, <c>∂L/∂λ = ⟨U, W⟩</c>. A singular system (λ = 0, rank-deficient X) is factorised with the
/// diagonal shift reported in <see cref="ConvergenceReport.Jitter"/>.</remarks>
public sealed class RidgeSolver : IInnerSolver
{
    /// <summary>Creates a Ridge solver.</summary>
    /// <param name="maxDegreeOfParallelism">Threads used by batched solves: −1 follows the process policy (<see cref="Disentangle.Tensors.Parallelism.MaxThreads"/>); a positive value is capped by it.</param>
    /// <exception cref="ArgumentOutOfRangeException">The thread count is 0 or below −1.</exception>
    public RidgeSolver(int maxDegreeOfParallelism = -1)
    {
        if (maxDegreeOfParallelism is 0 or < -1)
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Must be −1 or ≥ 1.");
        MaxDegreeOfParallelism = maxDegreeOfParallelism;
    }

    /// <summary>Threads used by batched solves.</summary>
    public int MaxDegreeOfParallelism { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Empty, mismatched or non-finite X or Y.</exception>
    /// <exception cref="ArgumentOutOfRangeException">λ is negative or non-finite.</exception>
    public InnerSolution Solve(InnerProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var (x, y, lambda) = (problem.X, problem.Y, problem.Lambda);
        InputChecks.CheckDesign(x, y, "problem.X", "problem.Y");
        Guard.NonNegative(lambda, "problem.Lambda");
        int n = x.Rows, m = x.Columns;
        bool dual = n < m;
        var system = dual ? Matrix.Multiply(x, x, transposeB: true) : Matrix.Multiply(x, x, transposeA: true);
        for (int i = 0; i < system.Data.Length; i++) system.Data[i] /= n;
        for (int i = 0; i < system.Rows; i++) system[i, i] += lambda;                // XᵀX/n + λI  or  XXᵀ/n + λI
        var factor = LinearAlgebra.Cholesky(system);
        Matrix w;
        if (dual)
        {
            var alpha = factor.Solve(y);                                             // α = (XXᵀ/n + λI)⁻¹Y
            w = Matrix.Multiply(x, alpha, transposeA: true);
            Scale(w, 1.0 / n);                                                       // W = Xᵀα/n
        }
        else
        {
            var xty = Matrix.Multiply(x, y, transposeA: true);
            Scale(xty, 1.0 / n);
            w = factor.Solve(xty);                                                   // W = (XᵀX/n + λI)⁻¹XᵀY/n
        }
        var residual = y.Clone();
        Gemm.Multiply(false, false, n, y.Columns, m, -1.0, x.Data, m, w.Data, y.Columns, 1.0, residual.Data, y.Columns);
        return new InnerSolution(w, LassoSolver.SupportOf(w), residual, Report(x, y, w, residual, lambda, factor.Jitter))
        { Factor = factor, DualFactor = dual };
    }

    /// <inheritdoc/>
    public InnerSolution Solve(InnerProblem problem, Matrix? warmStart) => Solve(problem);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The cotangent's shape differs from the coefficients'.</exception>
    public InnerGradient Vjp(InnerProblem problem, InnerSolution solution, Matrix cotangent)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(solution);
        var (x, lambda) = (problem.X, problem.Lambda);
        int n = x.Rows, m = x.Columns, k = solution.W.Columns;
        InputChecks.CheckCotangent(cotangent, m, k, nameof(cotangent));
        if (solution.Factor is null || (solution.DualFactor && lambda == 0))          // no reusable factor: generic path
            return ImplicitDifferentiation.Vjp(new L2(), x, solution.W, solution.Residual, lambda, cotangent);
        Matrix u;
        if (!solution.DualFactor) u = solution.Factor.Solve(cotangent);              // A⁻¹g, A = XᵀX/n + λI
        else
        {                                                                            // A⁻¹g = (g − Xᵀ(XXᵀ/n + λI)⁻¹Xg/n)/λ
            var xg = Matrix.Multiply(x, cotangent);
            var t = solution.Factor.Solve(xg);
            u = cotangent.Clone();
            Gemm.Multiply(true, false, m, k, n, -1.0 / n, x.Data, m, t.Data, k, 1.0, u.Data, k);
            Scale(u, 1.0 / lambda);
        }
        Scale(u, -1.0);                                                              // U = −A⁻¹g
        var (dx, dy) = ImplicitDifferentiation.PullBack(x, solution.W, solution.Residual, u);
        double dLambda = TensorPrimitives.Dot<double>(u.Data, solution.W.Data);       // ∂F/∂λ = W
        return new InnerGradient(dx, dy, dLambda, m * k, m * k);
    }

    /// <inheritdoc/>
    public InnerSolution[] SolveMany(IReadOnlyList<InnerProblem> problems, IReadOnlyList<Matrix?>? warmStarts = null)
        => Batch.SolveMany<InnerProblem, InnerSolution>(Solve, Batch.ThreadsFor(problems, MaxDegreeOfParallelism), problems, warmStarts);

    /// <inheritdoc/>
    public InnerGradient[] VjpMany(IReadOnlyList<InnerProblem> problems, IReadOnlyList<InnerSolution> solutions, IReadOnlyList<Matrix> cotangents)
        => Batch.VjpMany(this, MaxDegreeOfParallelism, problems, solutions, cotangents);

    /// <inheritdoc/>
    /// <remarks>λ = c·‖X‖²_F/n (<paramref name="y"/> is not used).</remarks>
    public double LambdaFromRatio(Matrix x, Matrix y, double ratio) => Lambda.RidgeFromRatio(x, ratio);

    /// <inheritdoc/>
    /// <remarks><c>∂(c‖X‖²_F/n)/∂X = 2cX/n</c>; Y does not enter the scale.</remarks>
    public InnerGradient ThroughLambdaScale(InnerProblem problem, double ratio, InnerGradient gradient)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(gradient);
        Lambda.CheckRatio(ratio);
        var dx = gradient.DX.Clone();
        double scale = 2 * ratio * gradient.DLambda / problem.X.Rows;
        TensorPrimitives.MultiplyAdd(problem.X.Data, scale, dx.Data, dx.Data);
        return gradient with { DX = dx };
    }

    /// <summary>Objective and duality gap: <c>P = ‖R‖²/(2n) + (λ/2)‖W‖²</c>; with <c>Θ = R/n</c>,
    /// <c>D = ⟨Θ, Y⟩ − (n/2)‖Θ‖² − ‖XᵀΘ‖²/(2λ)</c> (NaN for λ = 0: no dual bound). Converged is true: the solve is direct.</summary>
    private static ConvergenceReport Report(Matrix x, Matrix y, Matrix w, Matrix residual, double lambda, double jitter)
    {
        int n = x.Rows;
        double rNorm2 = TensorPrimitives.Dot<double>(residual.Data, residual.Data);
        double primal = rNorm2 / (2.0 * n) + 0.5 * lambda * TensorPrimitives.Dot<double>(w.Data, w.Data);
        double gap = double.NaN;
        if (lambda > 0)
        {
            var xtr = Matrix.Multiply(x, residual, transposeA: true);
            double xtrNorm2 = TensorPrimitives.Dot<double>(xtr.Data, xtr.Data) / ((double)n * n);
            double dual = TensorPrimitives.Dot<double>(residual.Data, y.Data) / n - rNorm2 / (2.0 * n) - xtrNorm2 / (2 * lambda);
            gap = primal - dual;
        }
        return new ConvergenceReport(0, primal, gap, 0, true, jitter);
    }

    private static void Scale(Matrix a, double s) => TensorPrimitives.Multiply(a.Data, s, a.Data);
}
