using System.Buffers;
using System.Numerics.Tensors;
using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>Proximal block coordinate descent for <c>‖XW − Y‖²_F/(2n) + λ Σ_j ψ(W_j)</c>, one block per feature row
/// (Tseng 2001), with a duality-gap stop, gap-safe screening, working sets and Anderson extrapolation.</summary>
/// <remarks>One instance solves one problem (it owns the residual and the transposed design). Update of block j with
/// <c>L_j = ‖X_j‖²/n</c>: <c>W_j ← prox_{(λ/L_j)ψ}(W_j + X_jᵀR/(nL_j))</c>, then <c>R ← R − X_j (W_j^new − W_j)</c>.</remarks>
internal sealed partial class BlockCoordinateDescent
{
    private const double InnerGapFraction = 0.3;   // a working set is solved to ρ× the current full gap, ρ ≤ 0.3 (skglm)

    private readonly INormPenalty penalty;
    private readonly CdOptions options;
    private readonly int n, m, k;
    private readonly double lambda;
    private const int EagerTransposeLimit = 1 << 20;   // larger designs copy columns on first use and use GEMM for XᵀR

    private readonly Matrix x;           // X, (n, m), row-major as given
    private double[]? xt;                // Xᵀ, (m, n), when m·n ≤ EagerTransposeLimit: column j of X is contiguous (pooled)
    private readonly double[]?[] columns; // otherwise: the columns copied so far (the working sets')
    private readonly double[] yt;        // Yᵀ, (k, n)
    private readonly double[] rt;        // Rᵀ = (Y − XW)ᵀ, (k, n)
    private readonly double[] w;         // W, (m, k)
    private readonly double[] norms2;    // ‖X_j‖²
    private readonly double[] xtr;       // XᵀR, (m, k), filled by the gap evaluations
    private readonly double[] block;     // one block, length k
    private readonly double[] deltaBlock;
    private readonly bool scalarSoftThreshold;
    private readonly bool[] screened;
    private bool normsPending;
    private readonly double yNorm2;
    private AndersonExtrapolation? anderson;

    // lazyColumns: copy columns on first use and compute the full XᵀR by GEMM (default: when m·n is large).
    public BlockCoordinateDescent(INormPenalty penalty, CdOptions options, Matrix x, Matrix y, double lambda, Matrix? warmStart,
        bool? lazyColumns = null)
    {
        this.penalty = penalty;
        this.options = options;
        this.lambda = lambda;
        (n, m, k) = (x.Rows, x.Columns, y.Columns);
        this.x = x;
        columns = new double[]?[lazyColumns ?? (long)m * n > EagerTransposeLimit ? m : 0];
        norms2 = new double[m];
        if (columns.Length == 0)
        {
            xt = ArrayPool<double>.Shared.Rent(m * n);                 // often > 85 KB: pooled, not a large-object allocation per solve
            const int tile = 32;                                        // cache-blocked transpose Xᵀ
            for (int i0 = 0; i0 < n; i0 += tile)
                for (int j0 = 0; j0 < m; j0 += tile)
                    for (int i = i0, iEnd = Math.Min(n, i0 + tile); i < iEnd; i++)
                        for (int j = j0, jEnd = Math.Min(m, j0 + tile); j < jEnd; j++)
                            xt[j * n + i] = x.Data[i * m + j];
            for (int j = 0; j < m; j++)
            {
                var xj = xt.AsSpan(j * n, n);
                norms2[j] = TensorPrimitives.Dot(xj, xj);
            }
        }
        else normsPending = true;                                        // accumulated in the first pass over the rows
        yt = new double[k * n];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < k; c++) yt[c * n + i] = y.Data[i * k + c];
        yNorm2 = TensorPrimitives.Dot(yt, yt);
        rt = (double[])yt.Clone();
        w = new double[m * k];
        xtr = new double[m * k];
        block = new double[k];
        deltaBlock = new double[k];
        scalarSoftThreshold = k == 1 && penalty is (L1 or GroupL2);
        screened = new bool[m];
        if (warmStart is not null)
        {
            warmStart.Data.CopyTo(w, 0);
            if (normsPending) ComputeNormsByRows();
            for (int j = 0; j < m; j++)
                if (norms2[j] == 0) w.AsSpan(j * k, k).Clear();                 // no data term: the optimum is 0
            for (int j = 0; j < m; j++) AddColumnToResidual(j, w.AsSpan(j * k, k), -1);   // R = Y − XW
        }
        if (options.AndersonMemory > 0) anderson = new AndersonExtrapolation(options.AndersonMemory);
    }

    /// <summary>Runs to the gap tolerance or the epoch budget; returns the coefficients, residual and report.</summary>
    public (Matrix W, Matrix Residual, ConvergenceReport Report) Run()
    {
        try { return Solve(); }
        finally
        {
            if (xt is not null) ArrayPool<double>.Shared.Return(xt);
            xt = null;
        }
    }

    private (Matrix W, Matrix Residual, ConvergenceReport Report) Solve()
    {
        double gapTolerance = options.Tolerance * yNorm2 / (2.0 * n);
        int[]? active = null;
        int epochs = 0;
        GapInfo gap;
        while (true)
        {
            gap = ComputeGap(FullSet());                                  // (the first one also fills norms2 when pending)
            active ??= Enumerable.Range(0, m).Where(j => norms2[j] > 0).ToArray();
            if (gap.Gap <= gapTolerance || epochs >= options.MaxEpochs) break;
            if (options.Screening) active = Screen(gap, active);
            bool useWorkingSet = options.WorkingSets && active.Length > options.InitialWorkingSet;
            int[] set = useWorkingSet ? WorkingSet(gap, active) : active;
            // ρ shrinks with |WS|/m: when an epoch on the working set is much cheaper than a full XᵀR, solve it further.
            double fraction = Math.Min(InnerGapFraction, (double)set.Length / m);
            double target = useWorkingSet ? Math.Max(fraction * gap.Gap, gapTolerance) : double.NaN;
            epochs = SolveOn(set, target, epochs);
        }
        var report = new ConvergenceReport(epochs, gap.Primal, gap.Gap, gapTolerance, gap.Gap <= gapTolerance);
        var residual = new Matrix(n, k);
        for (int c = 0; c < k; c++)
            for (int i = 0; i < n; i++) residual.Data[i * k + c] = rt[c * n + i];
        return (new Matrix(m, k, (double[])w.Clone()), residual, report);
    }

    /// <summary>Runs epochs on <paramref name="set"/>: until its sub-problem gap ≤ <paramref name="target"/> (working set), or
    /// for <see cref="CdOptions.GapFrequency"/> epochs when <paramref name="target"/> is NaN (the caller then checks the
    /// full gap). Returns the updated epoch count.</summary>
    private int SolveOn(int[] set, double target, int epochs)
    {
        anderson?.Reset(set.Length * k);
        while (epochs < options.MaxEpochs)
        {
            for (int e = 0; e < options.GapFrequency && epochs < options.MaxEpochs; e++)
            {
                Epoch(set);
                epochs++;
                if (anderson is not null && anderson.Push(w, set)) TryExtrapolate(set);
            }
            if (double.IsNaN(target) || ComputeGap(set).Gap <= target) break;
        }
        return epochs;
    }

    /// <summary>One cyclic pass of block updates over <paramref name="features"/>.</summary>
    private void Epoch(ReadOnlySpan<int> features)
    {
        if (scalarSoftThreshold) { ScalarEpoch(features); return; }
        double lambdaN = lambda * n;
        var v = block.AsSpan();
        var delta = deltaBlock.AsSpan();
        foreach (int j in features)
        {
            double nrm2 = norms2[j];
            var xj = Column(j);
            var wj = w.AsSpan(j * k, k);
            BlockKernels.Dots(xj, rt, v);                               // v = W_j + X_jᵀR / ‖X_j‖²
            for (int c = 0; c < k; c++) v[c] = wj[c] + v[c] / nrm2;
            penalty.Prox(v, lambdaN / nrm2, v);                          // W_j ← prox_{(λ/L_j)ψ}(v), L_j = ‖X_j‖²/n
            bool moved = false;
            for (int c = 0; c < k; c++) moved |= (delta[c] = v[c] - wj[c]) != 0;
            if (!moved) continue;
            BlockKernels.SubtractOuter(xj, delta, rt);                  // R ← R − X_j δᵀ
            v.CopyTo(wj);
        }
    }

    /// <summary>The k = 1 pass for penalties whose one-entry prox is soft-thresholding (L1 and GroupL2): the same
    /// update as <see cref="Epoch"/>, inlined (tested equal to the general path).</summary>
    private void ScalarEpoch(ReadOnlySpan<int> features)
    {
        double lambdaN = lambda * n;
        var r = rt.AsSpan();
        foreach (int j in features)
        {
            double nrm2 = norms2[j], old = w[j];
            var xj = Column(j);
            double updated = L1.SoftThreshold(old + TensorPrimitives.Dot(xj, r) / nrm2, lambdaN / nrm2);
            if (updated == old) continue;
            TensorPrimitives.MultiplyAdd(xj, old - updated, r, r);      // R ← R − X_j (w_new − w_old)
            w[j] = updated;
        }
    }

    /// <summary>R ← R + sign·X_j d for one block d.</summary>
    private void AddColumnToResidual(int j, ReadOnlySpan<double> d, double sign)
    {
        var xj = Column(j);
        for (int c = 0; c < k; c++)
        {
            if (d[c] == 0) continue;
            var rc = rt.AsSpan(c * n, n);
            TensorPrimitives.MultiplyAdd(xj, sign * d[c], rc, rc);
        }
    }

    /// <summary>‖X_j‖² accumulated row by row (one pass over a large row-major X).</summary>
    private void ComputeNormsByRows()
    {
        for (int i = 0; i < n; i++) TensorPrimitives.MultiplyAdd(x.Row(i), x.Row(i), norms2, norms2);
        normsPending = false;
    }

    /// <summary>Column j of X as a contiguous span (copied on first use for large designs).</summary>
    private ReadOnlySpan<double> Column(int j)
    {
        if (xt is not null) return xt.AsSpan(j * n, n);
        var column = columns[j];
        if (column is null)
        {
            column = columns[j] = new double[n];
            for (int i = 0; i < n; i++) column[i] = x.Data[i * m + j];
        }
        return column;
    }

    private int[]? fullSet;
    private int[] FullSet() => fullSet ??= Enumerable.Range(0, m).ToArray();
}
