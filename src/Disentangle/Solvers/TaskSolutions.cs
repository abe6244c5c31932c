using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>Task t owns rows <c>[Start(t), Start(t) + Count)</c> of a feature tensor: <c>Start(t) = Offset + t·Stride</c>.</summary>
/// <param name="Offset">First row of task 0.</param>
/// <param name="Stride">Rows between the first rows of consecutive tasks.</param>
/// <param name="Count">Rows per task.</param>
public readonly record struct TaskRows(int Offset, int Stride, int Count)
{
    /// <summary>Contiguous blocks of <paramref name="count"/> rows, task after task.</summary>
    public static TaskRows Blocks(int count) => new(0, count, count);

    /// <summary>First row of task <paramref name="task"/>.</summary>
    public int Start(int task) => Offset + task * Stride;
}

/// <summary>Helpers of the bridge between feature tensors and per-task solvers.</summary>
public static class TaskSolutions
{
    /// <summary>Task <paramref name="task"/>'s rows of <paramref name="features"/> (rank 2) as a float64 matrix.</summary>
    public static Matrix Rows(Tensor features, TaskRows rows, int task)
    {
        int columns = features.Shape[1], offset = rows.Start(task) * columns;
        var x = new Matrix(rows.Count, columns);
        for (int i = 0; i < x.Data.Length; i++) x.Data[i] = features.Data[offset + i];
        return x;
    }

    /// <summary>Throws a <see cref="NonFiniteException"/> when <paramref name="features"/> hold NaN or ±∞.</summary>
    /// <param name="features">The features a head is about to fit.</param>
    /// <param name="name">What they are, for the message (the parameter's name).</param>
    public static void EnsureFinite(Tensor features, string name)
    {
        foreach (float v in features.Data)
            if (!float.IsFinite(v)) throw new NonFiniteException($"'{name}' holds NaN or ±∞ (the network diverged).", name);
    }

    internal static void AddRows(float[] destination, int firstRow, Matrix values)
    {
        int offset = firstRow * values.Columns;
        for (int i = 0; i < values.Data.Length; i++) destination[offset + i] += (float)values.Data[i];
    }
}

/// <summary>The one bridge from a batched differentiable solver to the autodiff tape: per-task solutions fitted on rows of
/// a feature tensor, whose linear predictions and coefficients become graph nodes (as jaxopt wraps every solver once).</summary>
/// <remarks>With <c>G = ∂L/∂(X_pred,t W_t)</c>: <c>∂L/∂X_pred,t += G W_tᵀ</c>, and the solver's VJP of <c>∂L/∂W_t = X_pred,tᵀ G</c>
/// adds <c>∂L/∂X_fit,t</c>. The coefficients' backward is that VJP alone. VJPs of the tasks run in parallel.</remarks>
/// <typeparam name="TProblem">The solver's problem.</typeparam>
/// <typeparam name="TSolution">Its solution, a linear predictor.</typeparam>
/// <typeparam name="TGradient">Its gradient, holding ∂L/∂X of the fitted rows.</typeparam>
public sealed class TaskSolutions<TProblem, TSolution, TGradient>
    where TSolution : ILinearSolution
    where TGradient : IDesignGradient
{
    private readonly IBatchedSolver<TProblem, TSolution, TGradient> _solver;
    private readonly Tensor _fitted;
    private readonly TaskRows _fittedRows;
    private readonly IReadOnlyList<TProblem> _problems;
    private readonly Func<int, TGradient, Matrix> _fittedGradient;

    /// <summary>Wraps solved tasks.</summary>
    /// <param name="solver">The solver that solved them (its VJP is the backward).</param>
    /// <param name="fitted">The features the solutions were fitted on.</param>
    /// <param name="fittedRows">Which rows of <paramref name="fitted"/> each task was fitted on.</param>
    /// <param name="problems">The problems, one per task.</param>
    /// <param name="solutions">Their solutions.</param>
    /// <param name="fittedGradient">∂L/∂X_fit,t from task t's gradient; null takes <see cref="IDesignGradient.DX"/>.</param>
    public TaskSolutions(IBatchedSolver<TProblem, TSolution, TGradient> solver, Tensor fitted, TaskRows fittedRows,
        IReadOnlyList<TProblem> problems, IReadOnlyList<TSolution> solutions, Func<int, TGradient, Matrix>? fittedGradient = null)
    {
        _solver = solver;
        _fitted = fitted;
        _fittedRows = fittedRows;
        _problems = problems;
        Solutions = solutions;
        _fittedGradient = fittedGradient ?? ((_, g) => g.DX);
    }

    /// <summary>The solutions, one per task.</summary>
    public IReadOnlyList<TSolution> Solutions { get; }

    /// <summary>Predictions <c>X_pred,t W_t</c> stacked over tasks, shape (T·rows.Count, k), differentiable with respect to
    /// <paramref name="features"/> and to the fitted features.</summary>
    /// <param name="features">The features to predict from (may be the fitted tensor itself).</param>
    /// <param name="rows">Which rows of <paramref name="features"/> each task predicts.</param>
    /// <param name="packed">Task t's rows, already packed as matrices, or null to pack them here.</param>
    public Tensor Predictions(Tensor features, TaskRows rows, IReadOnlyList<Matrix>? packed = null)
    {
        int tasks = _problems.Count, n = rows.Count, k = Solutions[0].W.Columns;
        var x = packed ?? [.. Enumerable.Range(0, tasks).Select(t => TaskSolutions.Rows(features, rows, t))];
        var predictions = new float[tasks * n * k];
        for (int t = 0; t < tasks; t++)
        {
            var p = Matrix.Multiply(x[t], Solutions[t].W);
            for (int i = 0; i < p.Data.Length; i++) predictions[t * n * k + i] = (float)p.Data[i];
        }
        return Tensor.Custom(predictions, [tasks * n, k], [_fitted, features], (dy, grads) =>
        {
            var cotangents = new Matrix[tasks];
            for (int t = 0; t < tasks; t++)
            {
                var g = new Matrix(n, k);
                for (int i = 0; i < g.Data.Length; i++) g.Data[i] = dy[t * n * k + i];
                if (grads[1] is { } dPredicted) TaskSolutions.AddRows(dPredicted, rows.Start(t), Matrix.Multiply(g, Solutions[t].W, transposeB: true));   // G Wᵀ
                cotangents[t] = Matrix.Multiply(x[t], g, transposeA: true);                                                                          // X_predᵀ G
            }
            AddFittedGradient(grads[0], cotangents);
        });
    }

    /// <summary>The coefficients W_t stacked, shape (T, m, k), differentiable with respect to the fitted features.</summary>
    public Tensor Coefficients()
    {
        int tasks = _problems.Count, m = Solutions[0].W.Rows, k = Solutions[0].W.Columns;
        var coefficients = new float[tasks * m * k];
        for (int t = 0; t < tasks; t++)
            for (int i = 0; i < m * k; i++) coefficients[t * m * k + i] = (float)Solutions[t].W.Data[i];
        return Tensor.Custom(coefficients, [tasks, m, k], [_fitted], (dy, grads) =>
        {
            var cotangents = new Matrix[tasks];
            for (int t = 0; t < tasks; t++)
            {
                cotangents[t] = new Matrix(m, k);
                for (int i = 0; i < m * k; i++) cotangents[t].Data[i] = dy[t * m * k + i];
            }
            AddFittedGradient(grads[0], cotangents);
        });
    }

    private void AddFittedGradient(float[]? dFitted, Matrix[] cotangents)
    {
        if (dFitted is null) return;
        var gradients = _solver.VjpMany(_problems, Solutions, cotangents);
        for (int t = 0; t < gradients.Length; t++) TaskSolutions.AddRows(dFitted, _fittedRows.Start(t), _fittedGradient(t, gradients[t]));
    }
}
