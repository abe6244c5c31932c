using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Disentangle.Io;
using Disentangle.Tensors;

namespace Disentangle.Optim;

/// <summary>Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay, as torch.optim.SGD.</summary>
/// <remarks><c>g ← g + wd·θ</c>; with μ &gt; 0: <c>b ← g</c> on the parameter's first step, else <c>b ← μb + (1−τ)g</c>;
/// then <c>d = g + μb</c> (Nesterov) or <c>d = b</c>; finally <c>θ ← θ − α·d</c> (Sutskever et al. 2013).
/// Float32 operations in torch's order (fused multiply-adds where torch's add-with-alpha fuses); the tests reproduce it bitwise.</remarks>
public sealed class Sgd : Optimizer
{
    private const string MomentumBuffer = "momentum_buffer";
    private readonly SgdOptions _options;
    private readonly float[]?[] _buffers;

    /// <summary>Creates the optimizer over <paramref name="parameters"/>; momentum buffers are created on first use.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (see <see cref="SgdOptions"/>).</exception>
    /// <exception cref="ArgumentException">Nesterov with zero momentum or non-zero dampening.</exception>
    public Sgd(IReadOnlyList<Tensor> parameters, SgdOptions options) : base(parameters, Validate(options).LearningRate)
    {
        _options = options;
        _buffers = new float[]?[Parameters.Count];
    }

    /// <summary>The hyperparameters (the learning rate there is the initial one; see <see cref="Optimizer.LearningRate"/>).</summary>
    public SgdOptions Options => _options;

    private static SgdOptions Validate(SgdOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        Guard.NonNegative(o.LearningRate, nameof(o.LearningRate));
        Guard.InUnitInterval(o.Momentum, nameof(o.Momentum));
        Guard.NonNegative(o.WeightDecay, nameof(o.WeightDecay));
        Guard.InUnitInterval(o.Dampening, nameof(o.Dampening));
        if (o.Nesterov && (o.Momentum == 0 || o.Dampening != 0))
            throw new ArgumentException($"Nesterov momentum needs Momentum > 0 and Dampening = 0 (got {o.Momentum} and {o.Dampening}).", nameof(o));
        return o;
    }

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> theta, ReadOnlySpan<float> gradient)
    {
        int n = theta.Length;
        Span<float> s = Scratch.AsSpan(0, n);
        ReadOnlySpan<float> d = gradient;
        if (_options.WeightDecay != 0)
        {
            TensorPrimitives.FusedMultiplyAdd(theta, (float)_options.WeightDecay, gradient, s);   // g ← g + wd·θ
            d = s;
        }
        if (_options.Momentum != 0)
        {
            float mu = (float)_options.Momentum;
            if (_buffers[index] is not { } b)
                _buffers[index] = b = d.ToArray();                                             // b ← g (first step)
            else
            {
                TensorPrimitives.Multiply(b, mu, b);                                           // b ← μb + (1−τ)g
                TensorPrimitives.FusedMultiplyAdd(d, (float)(1 - _options.Dampening), b, b);
            }
            if (_options.Nesterov)
            {
                TensorPrimitives.FusedMultiplyAdd(b, mu, d, s);                                     // d ← g + μb
                d = s;
            }
            else d = b;
        }
        TensorPrimitives.FusedMultiplyAdd(d, (float)-LearningRate, theta, theta);                   // θ ← θ − α·d
    }

    /// <inheritdoc/>
    protected override void ExportParameterState(int index, IDictionary<string, TensorData> state)
    {
        if (_buffers[index] is { } b) state[Key(index, MomentumBuffer)] = Snapshot(index, b);
    }

    /// <inheritdoc/>
    protected override Action ImportParameterState(int index, StateReader reader)
    {
        var b = reader.Buffer(Key(index, MomentumBuffer), index);
        return () => _buffers[index] = b;
    }
}
