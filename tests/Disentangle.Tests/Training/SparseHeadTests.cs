using Disentangle.Autodiff;
using Disentangle.Solvers;
using Disentangle.Tensors;
using Disentangle.Training;

namespace Disentangle.Tests.Training;

public sealed class SparseHeadTests
{
    private static (Tensor Inputs, Tensor Weight, Matrix[] Targets, Tensor TargetTensor) Problem(TaskLayout layout, int inputs, int m, int k, int seed)
    {
        var random = new Random(seed);
        var x = Tensor.RandN([layout.Rows, inputs], random);
        var weight = Tensor.RandN([inputs, m], random, std: 0.5f, requiresGrad: true);
        var targets = Enumerable.Range(0, layout.Tasks).Select(_ => Matrix.RandomNormal(layout.SamplesPerTask, k, random)).ToArray();
        var outer = new float[layout.Tasks * layout.OuterSamples * k];
        for (int t = 0; t < layout.Tasks; t++)
            for (int i = 0; i < layout.OuterSamples * k; i++)
                outer[(t * layout.OuterSamples * k) + i] = (float)targets[t].Data[(layout.SameSamples ? 0 : layout.InnerSamples * k) + i];
        return (x, weight, targets, new Tensor(outer, [layout.Tasks * layout.OuterSamples, k]));
    }

    public static TheoryData<string, bool, int> Cases() => new()
    {
        { "lasso", true, 1 }, { "lasso", false, 1 }, { "group-lasso", true, 3 }, { "group-lasso", false, 2 }, { "ridge", true, 1 }, { "ridge", false, 2 },
    };

    private static IInnerSolver Solver(string name) => name switch
    {
        "lasso" => new LassoSolver(new L1(), new CdOptions(Tolerance: 1e-14, MaxEpochs: 100_000)),
        "group-lasso" => new LassoSolver(new GroupL2(), new CdOptions(Tolerance: 1e-14, MaxEpochs: 100_000)),
        _ => new RidgeSolver(),
    };

    [Theory, MemberData(nameof(Cases))]
    public void Head_passes_gradcheck_end_to_end_through_a_linear_layer(string solver, bool sameSamples, int k)
    {
        var layout = sameSamples ? TaskLayout.Shared(3, 12) : TaskLayout.Split(3, 12, 7);
        var (x, weight, targets, targetTensor) = Problem(layout, inputs: 5, m: 4, k, seed: 11);
        var head = new SparseHead(Solver(solver), ratio: 0.2, differentiateScale: true);
        GradCheck.AssertClose(t =>
        {
            var output = head.Forward(x.MatMul(t[0]), targets, layout);
            return output.Predictions.MseLoss(targetTensor).Add(output.Coefficients.Square().Sum().Mul(0.1f));
        }, [weight], eps: 1e-3, rtol: 3e-2, atol: 1e-3, coords: 20);
    }

    [Fact]
    public void Stopping_the_gradient_through_lambda_max_changes_only_the_scale_path()
    {
        var layout = TaskLayout.Shared(2, 15);
        var (x, weight, targets, targetTensor) = Problem(layout, inputs: 5, m: 4, k: 1, seed: 5);
        float[] Gradient(bool full)
        {
            weight.ZeroGrad();
            var head = new SparseHead(Solver("lasso"), 0.3, differentiateScale: full);
            head.Forward(x.MatMul(weight), targets, layout).Predictions.MseLoss(targetTensor).Backward();
            return (float[])weight.Grad!.Clone();
        }
        var stopped = Gradient(false);
        var full = Gradient(true);
        Assert.NotEqual(stopped, full);
        Assert.All(stopped, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Predictions_equal_the_solver_solution_applied_to_the_outer_rows()
    {
        var layout = TaskLayout.Split(2, 10, 4);
        var (x, weight, targets, _) = Problem(layout, inputs: 3, m: 3, k: 1, seed: 2);
        var features = x.MatMul(weight);
        var output = new SparseHead(Solver("lasso"), 0.1).Forward(features, targets, layout);
        for (int t = 0; t < 2; t++)
            for (int i = 0; i < 4; i++)
            {
                double expected = 0;
                for (int j = 0; j < 3; j++) expected += features.Data[(layout.OuterStart(t) + i) * 3 + j] * output.Solutions[t].W[j, 0];
                Assert.Equal(expected, output.Predictions.Data[t * 4 + i], 1e-4);
            }
        Assert.All(output.Solutions, s => Assert.True(s.Report.Converged));
    }

    [Fact]
    public void Bad_shapes_and_non_finite_features_are_rejected_with_messages()
    {
        var layout = TaskLayout.Shared(2, 5);
        var head = new SparseHead(Solver("lasso"), 0.3);
        var targets = new[] { new Matrix(5, 1), new Matrix(5, 1) };
        Assert.Contains("layout", Assert.Throws<ArgumentException>(() => head.Forward(Tensor.Zeros([9, 3]), targets, layout)).Message);
        var nan = Tensor.Zeros([10, 3]);
        nan.Data[4] = float.NaN;
        Assert.Contains("NaN", Assert.Throws<NonFiniteException>(() => head.Forward(nan, targets, layout)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SparseHead(Solver("lasso"), -0.1));
    }
}
