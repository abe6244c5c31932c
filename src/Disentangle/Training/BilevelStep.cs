using Disentangle.Data;
using Disentangle.Data.Tasks;
using Disentangle.Nn;
using Disentangle.Optim;
using Disentangle.Solvers;
using Disentangle.Tensors;

namespace Disentangle.Training;

/// <summary>What one step of <see cref="BilevelStep"/> produced.</summary>
/// <param name="OuterLoss">The outer loss of the batch (before the update).</param>
/// <param name="Head">The inner problems' solutions and outputs.</param>
public sealed record StepOutcome(double OuterLoss, HeadOutput Head);

/// <summary>One optimisation step of Eq. 4: T tasks → encoder features → inner problems (<see cref="SparseHead"/>) →
/// outer loss → implicit-differentiation backward → Adam.</summary>
/// <remarks>The step holds the encoder, its optimizer and the head; it knows nothing of run folders, logs or checkpoints
/// (see <c>Runs.TrainingRun</c>). Every kernel is deterministic, so the same batch and state give the same bits.</remarks>
public sealed class BilevelStep
{
    private readonly TrainOptions _options;
    private readonly TrainingInputs _inputs;
    private readonly SparseHead _head;
    private readonly TaskLayout _layout;

    /// <summary>Builds the head, the task layout and Adam over <paramref name="encoder"/>'s parameters from the options.</summary>
    public BilevelStep(TrainOptions options, TrainingInputs inputs, Module encoder)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(encoder);
        _options = options;
        _inputs = inputs;
        Encoder = encoder;
        _layout = options.Split ? TaskLayout.Split(options.Tasks, options.InnerShots, options.OuterShots)
                                : TaskLayout.Shared(options.Tasks, options.InnerShots + options.OuterShots);
        IInnerSolver solver = options.SparseInner
            ? new LassoSolver(options.Outputs > 1 ? new GroupL2() : new L1(), new CdOptions(options.InnerTolerance, options.InnerMaxEpochs))
            : new RidgeSolver();
        _head = new SparseHead(solver, options.EffectiveLambdaRatio);
        Optimizer = new Adam([.. encoder.Parameters()], new AdamOptions(options.LearningRate));
        if (options.BatchNormStatistics == BatchNormStatistics.PerTask)
            foreach (var norm in BatchNorms(encoder)) norm.Segments = TaskSegments(_layout);
    }

    /// <summary>The rows the reference's encoder sees in one call: each task's samples (with a split, its inner and its outer
    /// samples separately, as the released code encodes <c>train.inputs</c> and <c>test.inputs</c> apart).</summary>
    public static int[] TaskSegments(TaskLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        int[] perTask = layout.SameSamples ? [layout.InnerSamples] : [layout.InnerSamples, layout.OuterSamples];
        return [.. Enumerable.Repeat(perTask, layout.Tasks).SelectMany(s => s)];
    }

    private static IEnumerable<BatchNorm> BatchNorms(Module module) =>
        (module is BatchNorm norm ? [norm] : Enumerable.Empty<BatchNorm>()).Concat(module.NamedChildren().SelectMany(c => BatchNorms(c.Module)));

    /// <summary>The encoder f_θ being trained.</summary>
    public Module Encoder { get; }

    /// <summary>Adam over the encoder's parameters.</summary>
    public Adam Optimizer { get; }

    /// <summary>One step on <paramref name="batch"/>: forward, outer loss, backward, Adam update.</summary>
    /// <exception cref="TrainingDivergedException">The features or the outer loss are not finite (nothing was updated).</exception>
    public StepOutcome Take(TaskBatch batch)
    {
        var (features, output, targets) = Forward(batch, _layout);
        var loss = OuterLoss(features, output, targets);
        if (!float.IsFinite(loss.Data[0])) throw new TrainingDivergedException($"the outer loss is {loss.Data[0]}");
        Optimizer.ZeroGrad();
        loss.Backward();
        Optimizer.Step();
        return new StepOutcome(loss.Data[0], output);
    }

    /// <summary>The outer loss (mean squared error of the outer predictions) on <paramref name="batch"/>, in evaluation mode
    /// and without a graph; the model selection criterion of the reference.</summary>
    /// <exception cref="TrainingDivergedException">The features are not finite.</exception>
    public double ValidationLoss(TaskBatch batch)
    {
        bool wasTraining = Encoder.Training;
        Encoder.Eval();
        try
        {
            using var _ = new NoGrad();
            var layout = _layout with { Tasks = batch.Tasks };
            var (_, output, targets) = Forward(batch, layout);
            double sum = 0;
            int k = _options.Outputs, nOut = layout.OuterSamples, offset = layout.SameSamples ? 0 : layout.InnerSamples * k;
            for (int t = 0; t < layout.Tasks; t++)
                for (int i = 0; i < nOut * k; i++)
                {
                    double r = output.Predictions.Data[t * nOut * k + i] - targets[t].Data[offset + i];
                    sum += r * r;
                }
            return sum / (layout.Tasks * nOut * k);
        }
        finally { Encoder.Train(wasTraining); }
    }

    private (Tensor Features, HeadOutput Output, Matrix[] Targets) Forward(TaskBatch batch, TaskLayout layout)
    {
        var features = Encoder.Forward(_inputs.Of(batch));
        var targets = Enumerable.Range(0, layout.Tasks).Select(batch.TaskTargets).ToArray();
        try { return (features, _head.Forward(features, targets, layout), targets); }
        catch (NonFiniteException e) { throw new TrainingDivergedException("the encoder's features became non-finite", e); }
    }

    private Tensor OuterLoss(Tensor features, HeadOutput output, Matrix[] targets)
    {
        // The outer-regularised baselines (Figure 10) use the released code's loss: ½·MSE + c_out·scale·penalty.
        if (_options.PenalisesOuter)
            return OuterRegularisation.Loss(_options.Method, _options.OuterPenalty, features, targets, _layout, output);
        int k = _options.Outputs, nOut = _layout.OuterSamples;
        var outer = new float[_layout.Tasks * nOut * k];
        int offset = _layout.SameSamples ? 0 : _layout.InnerSamples * k;
        for (int t = 0; t < _layout.Tasks; t++)
            for (int i = 0; i < nOut * k; i++) outer[t * nOut * k + i] = (float)targets[t].Data[offset + i];
        return output.Predictions.MseLoss(new Tensor(outer, [_layout.Tasks * nOut, k]));
    }
}
