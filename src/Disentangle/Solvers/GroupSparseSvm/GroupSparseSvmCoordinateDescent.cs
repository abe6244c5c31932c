using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Disentangle.Tensors;

namespace Disentangle.Solvers.GroupSparseSvm;

/// <summary>Block coordinate descent on the dual of the group-sparse Crammer–Singer SVM, one block per sample.</summary>
/// <remarks>
/// For sample i: <c>β_i ← Proj_Δ(β_i − ∇_i/L_i)</c> with <c>∇_i = −W(β)ᵀx_i − Δ_i</c> (method.md §6). The global block
/// constant is <c>‖x_i‖²/λ₂</c>; for λ₁ = 0 that step is the exact block minimiser (Keerthi et al. 2008, liblinear's
/// solver). For λ₁ &gt; 0 the block's curvature only involves the active rows (BST is flat on rows with ‖M_j‖ ≤ λ₁), so
/// the step starts from <c>L_i = Σ_{j active} x_ij²/λ₂</c> and doubles until the sufficient-decrease condition of the
/// block's objective <c>(1/(2λ₂))Σ_j(‖M_j‖ − λ₁)₊² − ⟨β_i, Δ_i⟩</c> holds (at most up to the global constant): with a
/// sparse W this takes steps p/|support| times longer. The state is <c>Mᵀ = (Y − β)ᵀX</c> stored class-major (N, p),
/// so <c>W(β)ᵀx_i</c> and the rank-one update of M are N dot products / AXPYs of length p on spans, plus the row norms
/// of M. M is recomputed exactly at every gap evaluation, so round-off does not drift.
/// </remarks>
internal sealed class GroupSparseSvmCoordinateDescent
{
    private readonly GroupSparseSvmProblem _problem;
    private readonly GroupSparseSvmOptions _options;
    private readonly int _n, _p, _classes;
    private readonly double _lambda1, _lambda2;
    private readonly double[] _beta;        // (n, N)
    private readonly double[] _mt;          // Mᵀ, (N, p)
    private readonly double[] _norms;       // ‖M_j‖, (p)
    private readonly double[] _trial;       // trial norms, (p)
    private readonly double[] _scale;       // s_j = max(0, 1 − λ₁/‖M_j‖), (p)
    private readonly double[] _rowSquares;  // ‖x_i‖², (n)
    private readonly double[] _weighted, _q, _z, _delta;

    public GroupSparseSvmCoordinateDescent(GroupSparseSvmProblem problem, GroupSparseSvmOptions options, Matrix? warmStart)
    {
        _problem = problem;
        _options = options;
        _n = problem.X.Rows;
        _p = problem.X.Columns;
        _classes = problem.Classes;
        _lambda1 = problem.Lambda1;
        _lambda2 = problem.Lambda2;
        _beta = new double[_n * _classes];
        if (warmStart is null)
            for (int i = 0; i < _n; i++) _beta[i * _classes + problem.Labels[i]] = 1;   // β = Y: W = 0
        else
            for (int i = 0; i < _n; i++)                                               // project the guess, to be safe
                SimplexProjection.Project(warmStart.Row(i), _beta.AsSpan(i * _classes, _classes));
        _mt = new double[_classes * _p];
        _norms = new double[_p];
        _trial = new double[_p];
        _scale = new double[_p];
        _rowSquares = new double[_n];
        for (int i = 0; i < _n; i++) _rowSquares[i] = TensorPrimitives.Dot<double>(problem.X.Row(i), problem.X.Row(i));
        _weighted = new double[_p];
        _q = new double[_classes];
        _z = new double[_classes];
        _delta = new double[_classes];
        RecomputeM();
    }

    public GroupSparseSvmSolution Run()
    {
        double tolerance = _options.Tolerance * _n;                                      // relative to P(0) = n
        double primal = 0, gap = double.PositiveInfinity, zeroGap = double.PositiveInfinity;
        int epoch = 0;
        while (epoch < _options.MaxEpochs)
        {
            epoch++;
            for (int i = 0; i < _n; i++) UpdateSample(i);
            if (epoch % _options.GapFrequency == 0 || epoch == _options.MaxEpochs)
            {
                RecomputeM();
                (primal, gap, zeroGap) = Gap();
                if (gap <= tolerance || zeroGap <= tolerance) break;
            }
        }
        var w = Coefficients();
        if (zeroGap <= tolerance && zeroGap <= gap)
        {                                                                                  // W = 0 is certified optimal to the
            Array.Clear(w.Data);                                                           // tolerance: return exact zeros
            (primal, gap) = (_n, zeroGap);
        }
        var report = new ConvergenceReport(epoch, primal, gap, tolerance, gap <= tolerance);
        return new GroupSparseSvmSolution(w, new Matrix(_n, _classes, _beta), Support(w), report);
    }

    /// <summary>One projected-gradient step (with backtracking when λ₁ &gt; 0) on block β_i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void UpdateSample(int i)
    {
        var xi = _problem.X.Row(i);
        var beta = _beta.AsSpan(i * _classes, _classes);
        int label = _problem.Labels[i];
        double global = _rowSquares[i] / _lambda2;
        if (global == 0)
        {                                                                                  // x_i = 0: the block is linear, any
            for (int c = 0; c < _classes; c++) beta[c] = c == label ? 0 : 1.0 / (_classes - 1);   // wrong-class mix is optimal
            return;
        }
        TensorPrimitives.Multiply<double>(xi, _scale, _weighted);                        // x_i ⊙ s
        for (int c = 0; c < _classes; c++)                                               // q = W(β)ᵀx_i = Mᵀ(x_i ⊙ s)/λ₂
            _q[c] = TensorPrimitives.Dot<double>(_mt.AsSpan(c * _p, _p), _weighted) / _lambda2;
        for (int c = 0; c < _classes; c++) _q[c] += c == label ? 0 : 1;                  // −∇_i = q + Δ_i
        double lipschitz = _lambda1 == 0 ? global : Math.Min(global, Math.Max(ActiveSquares(xi) / _lambda2, 1e-3 * global));
        double energy = _lambda1 == 0 ? 0 : Energy(_norms);
        while (true)
        {
            for (int c = 0; c < _classes; c++) _z[c] = beta[c] + _q[c] / lipschitz;     // z = β_i − ∇_i/L
            SimplexProjection.Project(_z, _z);
            double gradientDot = 0, squared = 0, linear = 0;
            bool moved = false;
            for (int c = 0; c < _classes; c++)
            {
                double d = _delta[c] = _z[c] - beta[c];
                moved |= d != 0;
                gradientDot -= _q[c] * d;                                                // ⟨∇_i, δ⟩
                squared += d * d;
                linear += c == label ? 0 : d;                                            // ⟨δ, Δ_i⟩
            }
            if (!moved) return;
            ApplyDelta(xi, 1.0);                                                          // M −= x_i δᵀ
            if (_lambda1 == 0) break;
            RowNorms(_trial);
            double change = (Energy(_trial) - energy) / (2 * _lambda2) - linear;
            if (lipschitz >= global || change <= gradientDot + lipschitz / 2 * squared + 1e-12 * Math.Abs(energy)) break;
            ApplyDelta(xi, -1.0);                                                         // reject: undo and shorten the step
            lipschitz = Math.Min(2 * lipschitz, global);
        }
        _delta.AsSpan().CopyTo(_z);
        for (int c = 0; c < _classes; c++) beta[c] += _z[c];
        if (_lambda1 == 0) return;
        _trial.AsSpan().CopyTo(_norms);
        UpdateScales();
    }

    private void ApplyDelta(ReadOnlySpan<double> xi, double sign)
    {
        for (int c = 0; c < _classes; c++)
        {
            if (_delta[c] == 0) continue;
            var row = _mt.AsSpan(c * _p, _p);
            TensorPrimitives.MultiplyAdd<double>(xi, -sign * _delta[c], row, row);
        }
    }

    /// <summary><c>Σ_{j: ‖M_j‖ &gt; λ₁} x_ij²</c>.</summary>
    private double ActiveSquares(ReadOnlySpan<double> xi)
    {
        double s = 0;
        for (int j = 0; j < _p; j++)
            if (_scale[j] > 0) s += xi[j] * xi[j];
        return s;
    }

    /// <summary><c>Σ_j (‖M_j‖ − λ₁)₊²</c> = ‖BST_rows(M, λ₁)‖²_F.</summary>
    private double Energy(ReadOnlySpan<double> norms)
    {
        double s = 0;
        foreach (double r in norms)
            if (r > _lambda1) s += (r - _lambda1) * (r - _lambda1);
        return s;
    }

    private void RowNorms(Span<double> destination)
    {
        TensorPrimitives.Multiply<double>(_mt.AsSpan(0, _p), _mt.AsSpan(0, _p), destination);
        for (int c = 1; c < _classes; c++)
        {
            var row = _mt.AsSpan(c * _p, _p);
            TensorPrimitives.MultiplyAdd<double>(row, row, destination, destination);
        }
        TensorPrimitives.Sqrt<double>(destination, destination);
    }

    /// <summary>s_j = max(0, 1 − λ₁/‖M_j‖) from the current norms (all ones for λ₁ = 0).</summary>
    private void UpdateScales()
    {
        if (_lambda1 == 0) { Array.Fill(_scale, 1.0); return; }
        for (int j = 0; j < _p; j++) _scale[j] = _norms[j] > _lambda1 ? 1 - _lambda1 / _norms[j] : 0;
    }

    /// <summary>Mᵀ = (Y − β)ᵀX exactly, its row norms and the scales.</summary>
    private void RecomputeM()
    {
        var residual = new double[_n * _classes];
        for (int i = 0; i < residual.Length; i++) residual[i] = -_beta[i];
        for (int i = 0; i < _n; i++) residual[i * _classes + _problem.Labels[i]] += 1;
        Gemm.Multiply(true, false, _classes, _p, _n, 1.0, residual, _classes, _problem.X.Data, _p, 0.0, _mt, _p);
        RowNorms(_norms);
        UpdateScales();
    }

    /// <summary>W = BST_rows(M, λ₁)/λ₂, shape (p, N).</summary>
    private Matrix Coefficients()
    {
        var w = new Matrix(_p, _classes);
        for (int c = 0; c < _classes; c++)
            for (int j = 0; j < _p; j++) w.Data[j * _classes + c] = _scale[j] * _mt[c * _p + j] / _lambda2;
        return w;
    }

    /// <summary>P(W(β)), its gap to D(β), and the gap of W = 0 (<c>P(0) = n</c>), which certifies an exactly zero
    /// solution when λ₁ ≥ λ₁max (the iterates only approach the zero region asymptotically).</summary>
    private (double Primal, double Gap, double ZeroGap) Gap()
    {
        var w = Coefficients();
        double primal = GroupSparseSvmObjective.Primal(_problem, w);
        double dual = GroupSparseSvmObjective.Linear(_problem.Labels, new Matrix(_n, _classes, _beta))
            - _lambda2 / 2 * TensorPrimitives.Dot<double>(w.Data, w.Data);
        return (primal, primal - dual, _n - dual);
    }

    private static int[] Support(Matrix w)
    {
        var support = new List<int>();
        for (int j = 0; j < w.Rows; j++)
            if (w.Row(j).IndexOfAnyExcept(0.0) >= 0) support.Add(j);
        return [.. support];
    }
}
