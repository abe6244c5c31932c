using Disentangle.Io;
using Disentangle.Tensors;

namespace Disentangle.Optim;

/// <summary>Shared bookkeeping of optimizers: parameter list, learning rate, step count, state snapshots.</summary>
/// <remarks>Subclasses implement the per-parameter update and name their per-parameter state; the base class
/// skips parameters without a gradient and validates imported state.</remarks>
public abstract class Optimizer : IOptimizer
{
    private const string StepCountKey = "step_count";
    private const string LearningRateKey = "learning_rate";
    private readonly Tensor[] _parameters;
    private double _learningRate;

    /// <summary>Validates and stores the parameters and the initial learning rate.</summary>
    /// <exception cref="ArgumentException">A parameter is null or listed twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The learning rate is negative or not finite.</exception>
    protected Optimizer(IReadOnlyList<Tensor> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = [.. parameters];
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (_parameters[i] is null) throw new ArgumentException($"Parameter {i} is null.", nameof(parameters));
            if (!seen.Add(_parameters[i])) throw new ArgumentException($"Parameter {i} ({_parameters[i]}) is listed twice.", nameof(parameters));
        }
        LearningRate = learningRate;
        Scratch = new float[_parameters.Length == 0 ? 0 : _parameters.Max(p => p.Length)];
    }

    /// <inheritdoc/>
    public IReadOnlyList<Tensor> Parameters => _parameters;

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!double.IsFinite(value) || value < 0)
                throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be finite and non-negative.");
            _learningRate = value;
        }
    }

    /// <inheritdoc/>
    public long StepCount { get; private set; }

    /// <summary>A work buffer as long as the largest parameter, for kernels.</summary>
    protected float[] Scratch { get; }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">A gradient's length differs from its parameter's (nothing is updated).</exception>
    public void Step()
    {
        for (int i = 0; i < _parameters.Length; i++)
            if (_parameters[i].Grad is { } grad && grad.Length != _parameters[i].Length)
                throw new InvalidOperationException($"Parameter {i} ({_parameters[i]}) has {_parameters[i].Length} values but its gradient has {grad.Length}.");
        for (int i = 0; i < _parameters.Length; i++)
            if (_parameters[i].Grad is { } grad)
                Update(i, _parameters[i].Data, grad);
        StepCount++;
    }

    /// <inheritdoc/>
    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.ZeroGrad();
    }

    /// <summary>Updates parameter <paramref name="index"/> in place from its gradient.</summary>
    /// <param name="index">Position in <see cref="Parameters"/>.</param>
    /// <param name="parameter">The parameter values (updated).</param>
    /// <param name="gradient">Its gradient, same length.</param>
    protected abstract void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient);

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, TensorData> ExportState()
    {
        var state = new Dictionary<string, TensorData>
        {
            [StepCountKey] = TensorData.Scalar(StepCount),
            [LearningRateKey] = TensorData.Scalar(LearningRate),
        };
        for (int i = 0; i < _parameters.Length; i++) ExportParameterState(i, state);
        return state;
    }

    /// <inheritdoc/>
    public void ImportState(IReadOnlyDictionary<string, TensorData> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var reader = new StateReader(state, _parameters);
        long stepCount = reader.Scalar<long>(StepCountKey);
        double learningRate = reader.Scalar<double>(LearningRateKey);
        if (stepCount < 0) throw new ArgumentException($"State '{StepCountKey}' is {stepCount}; it must be non-negative.", nameof(state));
        var restore = new List<Action>();
        for (int i = 0; i < _parameters.Length; i++) restore.Add(ImportParameterState(i, reader));
        reader.ThrowOnUnusedKeys();
        LearningRate = learningRate;
        StepCount = stepCount;
        foreach (var apply in restore) apply();   // only after everything validated: a failed import changes nothing
    }

    /// <summary>Adds the state of parameter <paramref name="index"/>, copied, under keys <c>{index}.{name}</c>; nothing if it has none.</summary>
    protected abstract void ExportParameterState(int index, IDictionary<string, TensorData> state);

    /// <summary>Reads and validates the state of parameter <paramref name="index"/> (absent keys mean no state yet) and
    /// returns the action that installs it; the action runs only once the whole snapshot has been validated.</summary>
    protected abstract Action ImportParameterState(int index, StateReader reader);

    /// <summary>The key of per-parameter state <paramref name="name"/> of parameter <paramref name="index"/>.</summary>
    protected static string Key(int index, string name) => $"{index}.{name}";

    /// <summary>A copy of <paramref name="buffer"/> shaped like parameter <paramref name="index"/>.</summary>
    protected TensorData Snapshot(int index, float[] buffer) => TensorData.Create((float[])buffer.Clone(), _parameters[index].Shape);
}
