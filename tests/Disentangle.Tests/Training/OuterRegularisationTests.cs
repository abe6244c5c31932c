using Disentangle.Autodiff;
using Disentangle.Solvers;
using Disentangle.Tensors;
using Disentangle.Training;

namespace Disentangle.Tests.Training;

public sealed class OuterRegularisationTests
{
    private static (Tensor Features, Matrix[] Targets, HeadOutput Output) Problem(TaskLayout layout, int m, int k, int seed)
    {
        var random = new Random(seed);
        var features = Tensor.RandN([layout.Rows, m], random);
        var targets = Enumerable.Range(0, layout.Tasks).Select(_ => Matrix.RandomNormal(layout.SamplesPerTask, k, random)).ToArray();
        var predictions = Tensor.RandN([layout.Tasks * layout.OuterSamples, k], random, requiresGrad: true);
        var coefficients = Tensor.RandN([layout.Tasks, m, k], random, requiresGrad: true);
        coefficients.Data[1] = 0f;   // one exact zero: |·| has derivative 0 there, as the reference's grad_safe_abs
        return (features, targets, new HeadOutput(predictions, coefficients, [], new double[layout.Tasks]));
    }

    // The released code's loss, written out in float64: per task ½·mean((p − y)²) + c·λ_max·Σ|w| (or ½·c·‖X‖²/n·Σw²), mean over tasks.
    private static double Reference(TrainMethod method, double c, Tensor features, Matrix[] targets, TaskLayout layout, HeadOutput output)
    {
        int m = features.Shape[1], n = layout.OuterSamples, offset = layout.SameSamples ? 0 : layout.InnerSamples;
        double total = 0;
        for (int t = 0; t < layout.Tasks; t++)
        {
            double mse = 0, l1 = 0, l2 = 0, lambdaMax = 0, frobenius = 0;
            for (int i = 0; i < n; i++)
            {
                double r = output.Predictions.Data[t * n + i] - targets[t][offset + i, 0];
                mse += r * r / n;
            }
            for (int j = 0; j < m; j++)
            {
                double w = output.Coefficients.Data[t * m + j], dot = 0;
                l1 += Math.Abs(w);
                l2 += w * w;
                for (int i = 0; i < n; i++)
                {
                    double x = features.Data[(layout.OuterStart(t) + i) * m + j];
                    dot += x * targets[t][offset + i, 0];
                    frobenius += x * x;
                }
                lambdaMax = Math.Max(lambdaMax, Math.Abs(dot) / n);
            }
            total += 0.5 * mse + (method == TrainMethod.OuterL1 ? c * lambdaMax * l1 : 0.5 * c * frobenius / n * l2);
        }
        return total / layout.Tasks;
    }

    public static TheoryData<TrainMethod, bool> Cases() => new()
    {
        { TrainMethod.OuterL1, true }, { TrainMethod.OuterL1, false }, { TrainMethod.OuterL2, true }, { TrainMethod.OuterL2, false },
    };

    [Theory, MemberData(nameof(Cases))]
    public void The_penalised_loss_equals_the_released_codes_formula(TrainMethod method, bool shared)
    {
        var layout = shared ? TaskLayout.Shared(3, 9) : TaskLayout.Split(3, 6, 5);
        var (features, targets, output) = Problem(layout, m: 4, k: 1, seed: 3);
        double ours = OuterRegularisation.Loss(method, 0.3, features, targets, layout, output).Data[0];
        Assert.Equal(Reference(method, 0.3, features, targets, layout, output), ours, 1e-5);
    }

    [Theory, MemberData(nameof(Cases))]
    public void The_penalised_loss_passes_gradcheck_in_the_predictions_and_coefficients(TrainMethod method, bool shared)
    {
        var layout = shared ? TaskLayout.Shared(2, 7) : TaskLayout.Split(2, 5, 4);
        var (features, targets, output) = Problem(layout, m: 3, k: 1, seed: 8);
        output.Coefficients.Data[1] = 0.4f;   // away from the kink for central differences
        GradCheck.AssertClose(t => OuterRegularisation.Loss(method, 0.7, features, targets, layout, output with { Predictions = t[0], Coefficients = t[1] }),
            [output.Predictions, output.Coefficients], eps: 1e-3, rtol: 1e-2, atol: 1e-4);
    }

    [Fact]
    public void The_group_penalty_for_several_outputs_uses_row_norms_and_passes_gradcheck()
    {
        var layout = TaskLayout.Shared(2, 6);
        var (features, targets, output) = Problem(layout, m: 3, k: 2, seed: 4);
        output.Coefficients.Data[1] = 0.3f;
        var scales = OuterRegularisation.Scales(TrainMethod.OuterL1, features, targets, layout);
        double expected = output.Predictions.Data.Select((p, i) => { double r = p - targets[i / 12][i % 12 / 2, i % 2]; return r * r; }).Sum() / 24 / 2;
        for (int t = 0; t < 2; t++)
            for (int j = 0; j < 3; j++)
            {
                double a = output.Coefficients.Data[(t * 3 + j) * 2], b = output.Coefficients.Data[(t * 3 + j) * 2 + 1];
                expected += 0.5 * scales[t] * Math.Sqrt(a * a + b * b + 1e-12) / 2;
            }
        Assert.Equal(expected, OuterRegularisation.Loss(TrainMethod.OuterL1, 0.5, features, targets, layout, output).Data[0], 1e-5);
        GradCheck.AssertClose(t => OuterRegularisation.Loss(TrainMethod.OuterL1, 0.5, features, targets, layout, output with { Coefficients = t[0] }),
            [output.Coefficients], eps: 1e-3, rtol: 1e-2, atol: 1e-4);
    }

    [Fact]
    public void The_scale_is_held_constant_so_no_gradient_reaches_the_features_through_it()
    {
        var layout = TaskLayout.Shared(2, 6);
        var (features, targets, output) = Problem(layout, m: 3, k: 1, seed: 5);
        var x = Tensor.RandN([layout.Rows, 3], new Random(1), requiresGrad: true);
        var loss = OuterRegularisation.Loss(TrainMethod.OuterL1, 1.0, x, targets, layout, output);
        loss.Backward();
        Assert.Null(x.Grad);
        Assert.NotNull(output.Coefficients.Grad);
    }

    [Fact]
    public void Methods_without_an_outer_penalty_are_refused()
    {
        var layout = TaskLayout.Shared(1, 4);
        var (features, targets, output) = Problem(layout, m: 2, k: 1, seed: 1);
        Assert.Throws<ArgumentException>(() => OuterRegularisation.Loss(TrainMethod.InnerLasso, 1, features, targets, layout, output));
    }
}
