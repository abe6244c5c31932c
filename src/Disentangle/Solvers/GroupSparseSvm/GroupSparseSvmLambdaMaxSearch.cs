using System.Numerics.Tensors;
using Disentangle.Tensors;

namespace Disentangle.Solvers.GroupSparseSvm;

/// <summary>Computes <see cref="GroupSparseSvmLambdaMax"/> by a restarted primal–dual hybrid gradient on a bilinear
/// saddle point, with certified bounds.</summary>
/// <remarks>
/// λ₁max = <c>min_{β∈F} max_j ‖M_j(β)‖ = min_{β∈F} max_{‖U‖_{2,1} ≤ 1} ⟨U, C − Xᵀβ⟩</c> with <c>C = XᵀY</c>,
/// <c>M(β) = C − Xᵀβ</c> and F the rows of β in the simplex over the wrong classes: a bilinear saddle point over two sets
/// with cheap projections (per-row simplex; the ℓ_{2,1} ball by an ℓ₁-ball projection of the row norms). PDHG
/// (Chambolle &amp; Pock 2011): <c>U ← Proj_B(U + σ(C − Xᵀβ̄))</c>, <c>β⁺ ← Proj_F(β + τXU)</c>, <c>β̄ = 2β⁺ − β</c>,
/// <c>τσ‖X‖₂² &lt; 1</c>, restarted from the better of the current and the averaged iterate whenever the duality gap
/// halves (Applegate et al. 2023). Every β ∈ F gives the upper bound <c>max_j ‖M_j(β)‖</c>; every U in the ball gives the
/// lower bound <c>⟨U, C⟩ − Σ_i max_{c≠y_i}(XU)_{ic}</c>; the search stops when they agree to the tolerance.
/// </remarks>
internal static class GroupSparseSvmLambdaMaxSearch
{
    private const int CheckEvery = 10;

    public static GroupSparseSvmLambdaMax Compute(Matrix x, int[] labels, int classes, double tolerance, int maxIterations)
    {
        int n = x.Rows, p = x.Columns;
        var free = new bool[n * classes];
        var beta = new Matrix(n, classes);
        var y = new Matrix(n, classes);
        for (int i = 0; i < n; i++)
        {
            y[i, labels[i]] = 1;
            for (int c = 0; c < classes; c++)
                if (c != labels[i]) { free[i * classes + c] = true; beta[i, c] = 1.0 / (classes - 1); }
        }
        var constant = Matrix.Multiply(x, y, transposeA: true);                            // C = XᵀY, (p, N)
        var state = new State(x, constant, labels, free);
        double upper = state.Upper(beta);
        if (classes == 2 || upper == 0) return new GroupSparseSvmLambdaMax(upper, upper, 0, true);   // F is a single point

        double norm = Math.Sqrt(SpectralNormSquared(x));
        double weight = Math.Sqrt(n);                                                      // primal weight ω: |β| ~ √n, |U| ≤ 1
        double tau = 0.95 * weight / norm, sigma = 0.95 / (weight * norm);
        var u = new Matrix(p, classes);
        var betaSum = new Matrix(n, classes);
        var uSum = new Matrix(p, classes);
        var betaBar = beta.Clone();
        var betaNext = new Matrix(n, classes);
        double lower = double.NegativeInfinity, restartGap = double.PositiveInfinity;
        int iteration = 0, since = 0;
        while (iteration < maxIterations && upper - lower > tolerance * upper)
        {
            iteration++;
            since++;
            state.AscendDual(u, betaBar, sigma);                                            // U ← Proj_B(U + σ(C − Xᵀβ̄))
            state.DescendPrimal(beta, u, tau, betaNext);                                    // β⁺ ← Proj_F(β + τXU)
            for (int k = 0; k < beta.Data.Length; k++)
            {
                betaBar.Data[k] = 2 * betaNext.Data[k] - beta.Data[k];
                beta.Data[k] = betaNext.Data[k];
                betaSum.Data[k] += beta.Data[k];
            }
            TensorPrimitives.Add<double>(uSum.Data, u.Data, uSum.Data);
            if (iteration % CheckEvery != 0) continue;
            var betaAverage = Scaled(betaSum, 1.0 / since);
            var uAverage = Scaled(uSum, 1.0 / since);
            double upperCurrent = state.Upper(beta), lowerCurrent = state.Lower(u);
            double upperAverage = state.Upper(betaAverage), lowerAverage = state.Lower(uAverage);
            upper = Math.Min(upper, Math.Min(upperCurrent, upperAverage));
            lower = Math.Max(lower, Math.Max(lowerCurrent, lowerAverage));
            double gapCurrent = upperCurrent - lowerCurrent, gapAverage = upperAverage - lowerAverage;
            if (Math.Min(gapCurrent, gapAverage) <= restartGap / 2)
            {
                if (gapAverage < gapCurrent)
                {
                    betaAverage.Data.CopyTo(beta.Data, 0);
                    uAverage.Data.CopyTo(u.Data, 0);
                }
                beta.Data.CopyTo(betaBar.Data, 0);
                restartGap = Math.Min(gapCurrent, gapAverage);
                Array.Clear(betaSum.Data);
                Array.Clear(uSum.Data);
                since = 0;
            }
        }
        lower = Math.Max(lower, 0);
        return new GroupSparseSvmLambdaMax(upper, Math.Min(lower, upper), iteration, upper - lower <= tolerance * upper);
    }

    private static Matrix Scaled(Matrix a, double factor)
    {
        var result = new Matrix(a.Rows, a.Columns);
        TensorPrimitives.Multiply<double>(a.Data, factor, result.Data);
        return result;
    }

    /// <summary>The fixed data of the saddle point and its two projections and bounds.</summary>
    private sealed class State(Matrix x, Matrix constant, int[] labels, bool[] free)
    {
        private readonly Matrix _m = new(x.Columns, constant.Columns);
        private readonly Matrix _xu = new(x.Rows, constant.Columns);
        private readonly double[] _norms = new double[x.Columns];
        private readonly double[] _shrunk = new double[x.Columns];

        /// <summary>M(β) = C − Xᵀβ into the scratch matrix.</summary>
        private Matrix M(Matrix beta)
        {
            constant.Data.CopyTo(_m.Data, 0);
            Gemm.Multiply(true, false, x.Columns, beta.Columns, x.Rows, -1.0, x.Data, x.Columns, beta.Data, beta.Columns, 1.0, _m.Data, beta.Columns);
            return _m;
        }

        /// <summary>max_j ‖M_j(β)‖.</summary>
        public double Upper(Matrix beta)
        {
            var m = M(beta);
            double max = 0;
            for (int j = 0; j < m.Rows; j++) max = Math.Max(max, TensorPrimitives.Norm<double>(m.Row(j)));
            return max;
        }

        /// <summary><c>⟨U, C⟩ − Σ_i max_{c≠y_i}(XU)_{ic}</c> for U in the ℓ_{2,1} unit ball.</summary>
        public double Lower(Matrix u)
        {
            int classes = u.Columns;
            Gemm.Multiply(false, false, x.Rows, classes, x.Columns, 1.0, x.Data, x.Columns, u.Data, classes, 0.0, _xu.Data, classes);
            double value = TensorPrimitives.Dot<double>(u.Data, constant.Data);
            for (int i = 0; i < x.Rows; i++)
            {
                var row = _xu.Row(i);
                double best = double.NegativeInfinity;
                for (int c = 0; c < classes; c++)
                    if (c != labels[i]) best = Math.Max(best, row[c]);
                value -= best;
            }
            return value;
        }

        /// <summary>U ← Proj_B(U + σ M(β̄)), B the unit ℓ_{2,1} ball: project the row norms onto the ℓ₁ ball.</summary>
        public void AscendDual(Matrix u, Matrix betaBar, double sigma)
        {
            var m = M(betaBar);
            TensorPrimitives.MultiplyAdd<double>(m.Data, sigma, u.Data, u.Data);
            for (int j = 0; j < u.Rows; j++) _norms[j] = TensorPrimitives.Norm<double>(u.Row(j));
            if (TensorPrimitives.Sum<double>(_norms) <= 1) return;
            SimplexProjection.Project(_norms, _shrunk);                                     // ℓ₁ ball of nonnegative norms = simplex
            for (int j = 0; j < u.Rows; j++)
                TensorPrimitives.Multiply<double>(u.Row(j), _norms[j] > 0 ? _shrunk[j] / _norms[j] : 0, u.Row(j));
        }

        /// <summary>β⁺ = Proj_F(β + τXU).</summary>
        public void DescendPrimal(Matrix beta, Matrix u, double tau, Matrix destination)
        {
            int classes = beta.Columns;
            Gemm.Multiply(false, false, x.Rows, classes, x.Columns, 1.0, x.Data, x.Columns, u.Data, classes, 0.0, _xu.Data, classes);
            for (int k = 0; k < beta.Data.Length; k++) destination.Data[k] = beta.Data[k] + tau * _xu.Data[k];
            for (int i = 0; i < beta.Rows; i++)
                SimplexProjection.ProjectOnFace(destination.Row(i), free.AsSpan(i * classes, classes), destination.Row(i));
        }
    }

    /// <summary>‖X‖₂² by power iteration on XXᵀ, inflated by 1% (the step sizes need an upper estimate).</summary>
    private static double SpectralNormSquared(Matrix x)
    {
        var gram = Matrix.Multiply(x, x, transposeB: true);
        var v = new double[gram.Rows];
        Array.Fill(v, 1.0 / Math.Sqrt(v.Length));
        double value = 0;
        for (int k = 0; k < 100; k++)
        {
            var next = gram.Multiply(v);
            double norm = TensorPrimitives.Norm<double>(next);
            if (norm == 0) return 1e-300;
            value = norm;
            TensorPrimitives.Multiply<double>(next, 1 / norm, v);
        }
        return Math.Max(value, 1e-300) * 1.01;
    }
}
