using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Disentangle.Io;
using Disentangle.Tensors;

namespace Disentangle.Optim;

/// <summary>Adam (Kingma &amp; Ba 2015) with bias correction, and optional L2 or decoupled (AdamW) weight decay.</summary>
/// <remarks>Per parameter, at its step t (counted per parameter, as in PyTorch):
/// <c>g ← g + wd·θ</c> (L2) or <c>θ ← θ(1 − α·wd)</c> (decoupled);
/// <c>m ← β₁m + (1−β₁)g</c>; <c>v ← β₂v + (1−β₂)g²</c>;
/// <c>θ ← θ − (α/(1−β₁ᵗ)) · m / (√v/√(1−β₂ᵗ) + ε)</c>.
/// Float32 operations in the order of torch.optim.Adam/AdamW's single-tensor path (1.13), which the tests reproduce bitwise.</remarks>
public sealed class Adam : Optimizer
{
    private const string FirstMoment = "exp_avg", SecondMoment = "exp_avg_sq", StepName = "step";
    private readonly AdamOptions _options;
    private readonly float[]?[] _m, _v;
    private readonly long[] _steps;
    private readonly float[] _scratch2;

    /// <summary>Creates the optimizer over <paramref name="parameters"/>; state starts at zero.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (see <see cref="AdamOptions"/>).</exception>
    public Adam(IReadOnlyList<Tensor> parameters, AdamOptions options) : base(parameters, Validate(options).LearningRate)
    {
        _options = options;
        _m = new float[]?[Parameters.Count];
        _v = new float[]?[Parameters.Count];
        _steps = new long[Parameters.Count];
        _scratch2 = new float[Scratch.Length];
    }

    /// <summary>The hyperparameters (the learning rate there is the initial one; see <see cref="Optimizer.LearningRate"/>).</summary>
    public AdamOptions Options => _options;

    private static AdamOptions Validate(AdamOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        Guard.NonNegative(o.LearningRate, nameof(o.LearningRate));
        Guard.InUnitInterval(o.Beta1, nameof(o.Beta1));
        Guard.InUnitInterval(o.Beta2, nameof(o.Beta2));
        Guard.NonNegative(o.Epsilon, nameof(o.Epsilon));
        Guard.NonNegative(o.WeightDecay, nameof(o.WeightDecay));
        return o;
    }

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> theta, ReadOnlySpan<float> gradient)
    {
        int n = theta.Length;
        var m = _m[index] ??= new float[n];
        var v = _v[index] ??= new float[n];
        long t = ++_steps[index];
        double lr = LearningRate, wd = _options.WeightDecay;
        Span<float> s1 = Scratch.AsSpan(0, n), s2 = _scratch2.AsSpan(0, n);

        ReadOnlySpan<float> g = gradient;
        if (wd != 0 && !_options.DecoupledWeightDecay)
        {
            TensorPrimitives.FusedMultiplyAdd(theta, (float)wd, gradient, s1);          // g ← g + wd·θ
            g = s1;
        }
        else if (wd != 0)
            TensorPrimitives.Multiply(theta, (float)(1 - lr * wd), theta);         // θ ← θ(1 − α·wd)

        TensorPrimitives.Multiply(m, (float)_options.Beta1, m);                    // m ← β₁m + (1−β₁)g
        TensorPrimitives.FusedMultiplyAdd(g, (float)(1 - _options.Beta1), m, m);
        TensorPrimitives.Multiply(v, (float)_options.Beta2, v);                    // v ← β₂v + (1−β₂)g²
        TensorPrimitives.Multiply(g, (float)(1 - _options.Beta2), s2);
        TensorPrimitives.Multiply(s2, g, s2);
        TensorPrimitives.Add(v, s2, v);

        double biasCorrection1 = 1 - Math.Pow(_options.Beta1, t);
        double biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(_options.Beta2, t));
        TensorPrimitives.Sqrt(v, s2);                                              // d = √v/√(1−β₂ᵗ) + ε
        TensorPrimitives.Divide(s2, (float)biasCorrection2Sqrt, s2);
        TensorPrimitives.Add(s2, (float)_options.Epsilon, s2);
        TensorPrimitives.Multiply(m, (float)(-lr / biasCorrection1), s1);          // θ ← θ − α/(1−β₁ᵗ) · m/d
        TensorPrimitives.Divide(s1, s2, s1);
        TensorPrimitives.Add(theta, s1, theta);
    }

    /// <inheritdoc/>
    protected override void ExportParameterState(int index, IDictionary<string, TensorData> state)
    {
        if (_m[index] is not { } m || _v[index] is not { } v) return;
        state[Key(index, StepName)] = TensorData.Scalar(_steps[index]);
        state[Key(index, FirstMoment)] = Snapshot(index, m);
        state[Key(index, SecondMoment)] = Snapshot(index, v);
    }

    /// <inheritdoc/>
    protected override Action ImportParameterState(int index, StateReader reader)
    {
        bool hasStep = reader.TryScalar(Key(index, StepName), out long step);
        var m = reader.Buffer(Key(index, FirstMoment), index);
        var v = reader.Buffer(Key(index, SecondMoment), index);
        if ((m is null) != (v is null) || (m is null) == hasStep || step < 0)
            throw new ArgumentException($"Optimizer state of parameter {index} must have all or none of '{StepName}' (≥ 0), " +
                $"'{FirstMoment}', '{SecondMoment}'.", "state");
        return () => { _m[index] = m; _v[index] = v; _steps[index] = hasStep ? step : 0; };
    }
}
