using Disentangle.Solvers;
using Disentangle.Tensors;

namespace Disentangle.Training;

/// <summary>The inner problems of one batch: their solutions, the λ used for each, and the outputs as autodiff nodes.</summary>
/// <param name="Predictions">Outer predictions <c>X_out,t Ŵ_t</c> stacked over tasks, shape (T·n_out, k).</param>
/// <param name="Coefficients">Ŵ_t stacked, shape (T, m, k); differentiable too (the outer-L1 penalty uses it).</param>
/// <param name="Solutions">Per-task solutions (support, epochs, gap, convergence).</param>
/// <param name="Lambdas">Per-task λ = c·scale(X_in,t, Y_in,t).</param>
public sealed record HeadOutput(Tensor Predictions, Tensor Coefficients, InnerSolution[] Solutions, double[] Lambdas);

/// <summary>Per-task linear predictors fitted on the features by an inner solver, differentiated by implicit
/// differentiation: the only place where solvers touch the autodiff tape (method.md §3, Eq. 4).</summary>
/// <remarks>Forward: for each task, X_in and X_out are rows of the float32 features (converted to float64),
/// λ = c·scale(X_in, Y_in) with the gradient stopped through the scale (the reference's choice), Ŵ = argmin inner.
/// Backward of the predictions: <c>∂L/∂X_out += G Ŵᵀ</c> and, with <c>∂L/∂Ŵ = X_outᵀ G</c>, the solver's VJP adds
/// <c>∂L/∂X_in</c>; backward of the coefficients is that VJP alone. Tasks run in parallel, deterministically.</remarks>
public sealed class SparseHead
{
    private readonly IInnerSolver _solver;
    private readonly double _ratio;
    private readonly bool _differentiateScale;

    /// <summary>Creates a head with the given solver and λ ratio c (λ/λ_max for the Lasso, λ/(‖X‖²_F/n) for Ridge).</summary>
    /// <param name="solver">The inner solver.</param>
    /// <param name="ratio">c in λ = c·scale(X_in, Y_in).</param>
    /// <param name="differentiateScale">Also differentiate through scale(X_in, Y_in); the reference stops that gradient (false).</param>
    /// <exception cref="ArgumentOutOfRangeException">The ratio is negative or not finite.</exception>
    public SparseHead(IInnerSolver solver, double ratio, bool differentiateScale = false)
    {
        ArgumentNullException.ThrowIfNull(solver);
        if (!(ratio >= 0) || !double.IsFinite(ratio))
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "The λ ratio c must be finite and ≥ 0 (0: least squares).");
        _solver = solver;
        _ratio = ratio;
        _differentiateScale = differentiateScale;
    }

    /// <summary>The inner solver.</summary>
    public IInnerSolver Solver => _solver;

    /// <summary>Fits every task's predictor on <paramref name="features"/> and returns differentiable outputs.</summary>
    /// <param name="features">Features of the whole batch, shape (layout.Rows, m).</param>
    /// <param name="targets">Per task, the targets of its rows (layout.SamplesPerTask, k).</param>
    /// <param name="layout">Which rows belong to which task and split.</param>
    /// <exception cref="ArgumentException">Shapes disagree with the layout, or the features hold NaN or ±∞.</exception>
    public HeadOutput Forward(Tensor features, IReadOnlyList<Matrix> targets, TaskLayout layout)
    {
        layout.Validate();
        if (features.Rank != 2 || features.Shape[0] != layout.Rows)
            throw new ArgumentException($"Features have shape [{string.Join(", ", features.Shape)}]; the layout needs ({layout.Rows}, m).", nameof(features));
        if (targets.Count != layout.Tasks)
            throw new ArgumentException($"{targets.Count} target matrices for {layout.Tasks} tasks.", nameof(targets));
        int m = features.Shape[1], k = targets[0].Columns, tasks = layout.Tasks;
        for (int t = 0; t < tasks; t++)
            if (targets[t].Rows != layout.SamplesPerTask || targets[t].Columns != k)
                throw new ArgumentException($"Targets of task {t} are {targets[t].Rows}×{targets[t].Columns}; expected {layout.SamplesPerTask}×{k}.", nameof(targets));
        foreach (float v in features.Data)
            if (!float.IsFinite(v)) throw new ArgumentException("The features hold NaN or ±∞ (the encoder diverged).", nameof(features));

        var problems = new InnerProblem[tasks];
        var xOut = new Matrix[tasks];
        var lambdas = new double[tasks];
        for (int t = 0; t < tasks; t++)
        {
            var xIn = RowsAsMatrix(features.Data, layout.InnerStart(t), layout.InnerSamples, m);
            var yIn = layout.SameSamples ? targets[t] : TargetRows(targets[t], 0, layout.InnerSamples);
            xOut[t] = layout.SameSamples ? xIn : RowsAsMatrix(features.Data, layout.OuterStart(t), layout.OuterSamples, m);
            lambdas[t] = _solver.LambdaFromRatio(xIn, yIn, _ratio);
            problems[t] = new InnerProblem(xIn, yIn, lambdas[t]);
        }
        var solutions = _solver.SolveMany(problems);

        int nOut = layout.OuterSamples;
        var predictions = new float[tasks * nOut * k];
        var coefficients = new float[tasks * m * k];
        for (int t = 0; t < tasks; t++)
        {
            var p = Matrix.Multiply(xOut[t], solutions[t].W);
            for (int i = 0; i < p.Data.Length; i++) predictions[t * nOut * k + i] = (float)p.Data[i];
            for (int i = 0; i < m * k; i++) coefficients[t * m * k + i] = (float)solutions[t].W.Data[i];
        }

        var predictionNode = Tensor.Custom(predictions, [tasks * nOut, k], [features], (dy, grads) =>
        {
            if (grads[0] is not { } dFeatures) return;
            var cotangents = new Matrix[tasks];
            for (int t = 0; t < tasks; t++)
            {
                var g = new Matrix(nOut, k);
                for (int i = 0; i < g.Data.Length; i++) g.Data[i] = dy[t * nOut * k + i];
                AddRows(dFeatures, layout.OuterStart(t), Matrix.Multiply(g, solutions[t].W, transposeB: true));   // G Ŵᵀ
                cotangents[t] = Matrix.Multiply(xOut[t], g, transposeA: true);                                     // X_outᵀ G
            }
            AddInnerVjp(dFeatures, layout, problems, solutions, cotangents);
        });
        var coefficientNode = Tensor.Custom(coefficients, [tasks, m, k], [features], (dy, grads) =>
        {
            if (grads[0] is not { } dFeatures) return;
            var cotangents = new Matrix[tasks];
            for (int t = 0; t < tasks; t++)
            {
                cotangents[t] = new Matrix(m, k);
                for (int i = 0; i < m * k; i++) cotangents[t].Data[i] = dy[t * m * k + i];
            }
            AddInnerVjp(dFeatures, layout, problems, solutions, cotangents);
        });
        return new HeadOutput(predictionNode, coefficientNode, solutions, lambdas);
    }

    private void AddInnerVjp(float[] dFeatures, TaskLayout layout, InnerProblem[] problems, InnerSolution[] solutions, Matrix[] cotangents)
    {
        var gradients = _solver.VjpMany(problems, solutions, cotangents);
        for (int t = 0; t < gradients.Length; t++)
        {
            var gradient = _differentiateScale ? _solver.ThroughLambdaScale(problems[t], _ratio, gradients[t]) : gradients[t];
            AddRows(dFeatures, layout.InnerStart(t), gradient.DX);
        }
    }

    private static Matrix RowsAsMatrix(float[] data, int firstRow, int rows, int columns)
    {
        var x = new Matrix(rows, columns);
        for (int i = 0; i < rows * columns; i++) x.Data[i] = data[firstRow * columns + i];
        return x;
    }

    private static Matrix TargetRows(Matrix y, int first, int rows)
    {
        var part = new Matrix(rows, y.Columns);
        y.Data.AsSpan(first * y.Columns, rows * y.Columns).CopyTo(part.Data);
        return part;
    }

    private static void AddRows(float[] destination, int firstRow, Matrix values)
    {
        int offset = firstRow * values.Columns;
        for (int i = 0; i < values.Data.Length; i++) destination[offset + i] += (float)values.Data[i];
    }
}
