using Disentangle.Tensors;

namespace Disentangle.Training;

/// <summary>The outer-regularised objectives of Section B.3 (Figure 10), as the released code's <c>loss</c>: per task,
/// <c>½·mean((X_out Ŵ − Y_out)²) + c_out·λ_max·Σ|Ŵ|</c> (outer-L1) or <c>+ ½·c_out·(‖X_out‖²_F/n_out)·ΣŴ²</c> (outer-L2),
/// averaged over tasks.</summary>
/// <remarks>The scale is computed on the outer rows with the gradient stopped, like the reference's
/// <c>get_lambda_l1</c> / <c>get_lambda_l2</c> with <c>use_plam</c>: λ_max = max_j |X_outᵀ y_out|_j / n_out (for k &gt; 1,
/// the group-Lasso max_j ‖(X_outᵀ Y_out)_j‖₂ / n_out with Σ_j ‖Ŵ_j‖₂ in place of Σ|Ŵ|). |·| has derivative 0 at 0 (the
/// reference's <c>grad_safe_abs</c>); the group norm adds 1e-12 under the root to stay differentiable at 0.</remarks>
public static class OuterRegularisation
{
    /// <summary>The outer objective of <paramref name="method"/> (<see cref="TrainMethod.OuterL1"/> or
    /// <see cref="TrainMethod.OuterL2"/>) with weight <paramref name="cOut"/>.</summary>
    /// <param name="method">Which penalty.</param>
    /// <param name="cOut">c_out: the penalty is c_out times the stopped-gradient scale.</param>
    /// <param name="features">The batch's features (rows as <paramref name="layout"/>), used for the scale only.</param>
    /// <param name="targets">Per task, the targets of its rows.</param>
    /// <param name="layout">Which rows are each task's outer rows.</param>
    /// <param name="output">The head's outputs: predictions (T·n_out, k) and coefficients (T, m, k).</param>
    /// <exception cref="ArgumentException"><paramref name="method"/> has no outer penalty.</exception>
    public static Tensor Loss(TrainMethod method, double cOut, Tensor features, IReadOnlyList<Matrix> targets, TaskLayout layout, HeadOutput output)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(output);
        if (method is not (TrainMethod.OuterL1 or TrainMethod.OuterL2))
            throw new ArgumentException($"{method} has no outer penalty.", nameof(method));
        var outer = OuterTargets(targets, layout);
        var data = output.Predictions.MseLoss(outer).Mul(0.5f);
        var scales = Scales(method, features, targets, layout);
        var w = output.Coefficients;
        int k = w.Shape[2];
        Tensor magnitude = method == TrainMethod.OuterL2 ? w.Square()
                         : k == 1 ? w.Abs()
                         : w.Square().Sum([2], keepDim: true).Add(1e-12f).Sqrt();
        int perTask = magnitude.Length / layout.Tasks;
        double half = method == TrainMethod.OuterL2 ? 0.5 : 1;
        var weights = new float[magnitude.Length];
        for (int t = 0; t < layout.Tasks; t++)
            weights.AsSpan(t * perTask, perTask).Fill((float)(half * cOut * scales[t] / layout.Tasks));
        var weightTensor = new Tensor(weights, [.. magnitude.Shape]);
        return data.Add(magnitude.Mul(weightTensor).Sum());
    }

    /// <summary>Per task, the stopped-gradient scale of the penalty: λ_max of the outer rows (outer-L1) or ‖X_out‖²_F/n_out (outer-L2).</summary>
    public static double[] Scales(TrainMethod method, Tensor features, IReadOnlyList<Matrix> targets, TaskLayout layout)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        int m = features.Shape[1], n = layout.OuterSamples, k = targets[0].Columns;
        int offset = layout.SameSamples ? 0 : layout.InnerSamples;
        var scales = new double[layout.Tasks];
        for (int t = 0; t < layout.Tasks; t++)
        {
            int first = layout.OuterStart(t);
            if (method == TrainMethod.OuterL2)
            {
                double sum = 0;
                for (int i = 0; i < n * m; i++) { double v = features.Data[first * m + i]; sum += v * v; }
                scales[t] = sum / n;
                continue;
            }
            double best = 0;
            for (int j = 0; j < m; j++)
            {
                double norm = 0;
                for (int c = 0; c < k; c++)
                {
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += features.Data[(first + i) * m + j] * targets[t][offset + i, c];
                    norm += dot * dot;
                }
                best = Math.Max(best, Math.Sqrt(norm));
            }
            scales[t] = best / n;
        }
        return scales;
    }

    private static Tensor OuterTargets(IReadOnlyList<Matrix> targets, TaskLayout layout)
    {
        int k = targets[0].Columns, n = layout.OuterSamples, offset = layout.SameSamples ? 0 : layout.InnerSamples * k;
        var outer = new float[layout.Tasks * n * k];
        for (int t = 0; t < layout.Tasks; t++)
            for (int i = 0; i < n * k; i++) outer[t * n * k + i] = (float)targets[t].Data[offset + i];
        return new Tensor(outer, [layout.Tasks * n, k]);
    }
}
