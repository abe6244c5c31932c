using System.Numerics.Tensors;

namespace Disentangle.Solvers;

internal sealed partial class BlockCoordinateDescent
{
    /// <summary>Primal and dual objectives at the current W; <see cref="Scale"/> s rescales the residual into the dual point Θ = R/s.</summary>
    private readonly record struct GapInfo(double Primal, double Dual, double Scale)
    {
        public double Gap => Primal - Dual;
    }

    /// <summary>Duality gap of the problem restricted to <paramref name="features"/> (W is zero elsewhere); fills XᵀR on them.</summary>
    /// <remarks><c>P = ‖R‖²/(2n) + λΣψ(W_j)</c>; dual point <c>Θ = R/s</c>, <c>s = max(nλ, max_j ψ*(X_jᵀR))</c>, and
    /// <c>D(Θ) = ‖Y‖²/(2n) − (nλ²/2)‖Θ − Y/(nλ)‖² = λ⟨R, Y⟩/s − nλ²‖R‖²/(2s²)</c>.</remarks>
    private GapInfo ComputeGap(ReadOnlySpan<int> features)
    {
        double dualNormMax = 0;
        bool full = features.Length == m;
        if (full && xt is null) FullCorrelation();
        foreach (int j in features)
        {
            var g = xtr.AsSpan(j * k, k);
            if (!full || xt is not null) BlockKernels.Dots(Column(j), rt, g);                   // X_jᵀR
            dualNormMax = Math.Max(dualNormMax, penalty.DualNorm(g));
        }
        double penaltyValue = 0;
        bool allZero = true;
        for (int j = 0; j < m; j++)
        {
            var wj = w.AsSpan(j * k, k);
            if (wj.IndexOfAnyExcept(0.0) < 0) continue;
            allZero = false;
            penaltyValue += penalty.Value(wj);
        }
        double rNorm2 = TensorPrimitives.Dot(rt, rt), rDotY = TensorPrimitives.Dot(rt, yt);
        double primal = rNorm2 / (2.0 * n) + lambda * penaltyValue;
        double s = Math.Max(n * lambda, dualNormMax);
        if (allZero && dualNormMax <= n * lambda) return new GapInfo(primal, primal, s);   // 0 ∈ ∂P(0): exactly optimal
        double dual = lambda * rDotY / s - n * lambda * lambda * rNorm2 / (2.0 * s * s);
        return new GapInfo(primal, dual, s);
    }

    /// <summary>XᵀR for a large row-major X in one streaming pass over its rows: <c>(XᵀR)_{:,c} = Σ_i R_ic X_{i,:}</c>.</summary>
    private void FullCorrelation()
    {
        correlationByOutput ??= new double[k * m];
        var acc = correlationByOutput.AsSpan();
        acc.Clear();
        bool norms = normsPending;                                      // fused with the pass computing ‖X_j‖²
        for (int i = 0; i < n; i++)
        {
            var row = x.Row(i);
            if (norms) TensorPrimitives.MultiplyAdd(row, row, norms2, norms2);
            for (int c = 0; c < k; c++)
            {
                double r = rt[c * n + i];
                if (r != 0) TensorPrimitives.MultiplyAdd(row, r, acc.Slice(c * m, m), acc.Slice(c * m, m));
            }
        }
        for (int c = 0; c < k; c++)
            for (int j = 0; j < m; j++) xtr[j * k + c] = acc[c * m + j];
        normsPending = false;
    }

    private double[]? correlationByOutput;

    /// <summary>Gap-safe sphere test: Θ* lies within <c>r = √(2·gap/(nλ²))</c> of Θ, so a feature with
    /// <c>ψ*(X_jᵀΘ) + r‖X_j‖ &lt; 1</c> is zero in every solution; it is zeroed and dropped. Uses the XᵀR of the last full gap.</summary>
    private int[] Screen(GapInfo gap, int[] active)
    {
        double radius = Math.Sqrt(2.0 * Math.Max(gap.Gap, 0) / n) / lambda;
        var kept = new List<int>(active.Length);
        foreach (int j in active)
        {
            double bound = penalty.DualNorm(xtr.AsSpan(j * k, k)) / gap.Scale + radius * Math.Sqrt(norms2[j]);
            if (bound >= 1) { kept.Add(j); continue; }
            screened[j] = true;
            var wj = w.AsSpan(j * k, k);
            if (wj.IndexOfAnyExcept(0.0) >= 0)
            {
                AddColumnToResidual(j, wj, +1);                        // R ← R + X_j W_j, then W_j = 0
                wj.Clear();
            }
        }
        return kept.Count == active.Length ? active : kept.ToArray();
    }

    /// <summary>The features most likely active: the support, then those with the smallest distance to the dual constraint
    /// boundary <c>(1 − ψ*(X_jᵀΘ))/‖X_j‖</c>; size max(<see cref="CdOptions.InitialWorkingSet"/>, 2|support|); in index order.</summary>
    private int[] WorkingSet(GapInfo gap, int[] active)
    {
        int supportSize = 0;
        var scores = new double[active.Length];
        for (int a = 0; a < active.Length; a++)
        {
            int j = active[a];
            if (w.AsSpan(j * k, k).IndexOfAnyExcept(0.0) >= 0) { scores[a] = double.NegativeInfinity; supportSize++; continue; }
            scores[a] = (1 - penalty.DualNorm(xtr.AsSpan(j * k, k)) / gap.Scale) / Math.Sqrt(norms2[j]);
        }
        int size = Math.Min(active.Length, Math.Max(options.InitialWorkingSet, 2 * supportSize));
        if (size == active.Length) return active;
        var order = (int[])active.Clone();
        Array.Sort(scores, order);                                      // deterministic (same input, same order)
        var chosen = order.AsSpan(0, size).ToArray();
        Array.Sort(chosen);
        return chosen;
    }

    /// <summary>Anderson extrapolation of the last iterates on <paramref name="set"/>; kept only if it lowers the objective.</summary>
    private void TryExtrapolate(int[] set)
    {
        var current = anderson!.Latest;
        var extrapolated = anderson.Extrapolate();
        if (extrapolated is null) return;
        double before = TensorPrimitives.Dot(rt, rt) / (2.0 * n) + lambda * PackedPenalty(current);
        var saved = (double[])rt.Clone();
        var delta = block.AsSpan();
        for (int s = 0; s < set.Length; s++)                           // R ← R − X_j (W_j^extr − W_j)
        {
            TensorPrimitives.Subtract(extrapolated.AsSpan(s * k, k), current.AsSpan(s * k, k), delta);
            AddColumnToResidual(set[s], delta, -1);
        }
        double after = TensorPrimitives.Dot(rt, rt) / (2.0 * n) + lambda * PackedPenalty(extrapolated);
        if (after < before)
            for (int s = 0; s < set.Length; s++) extrapolated.AsSpan(s * k, k).CopyTo(w.AsSpan(set[s] * k, k));
        else saved.CopyTo(rt, 0);
    }

    /// <summary>Σ ψ over the blocks of a packed vector (block s = the s-th feature of the set).</summary>
    private double PackedPenalty(double[] packed)
    {
        double s = 0;
        for (int offset = 0; offset < packed.Length; offset += k) s += penalty.Value(packed.AsSpan(offset, k));
        return s;
    }
}
