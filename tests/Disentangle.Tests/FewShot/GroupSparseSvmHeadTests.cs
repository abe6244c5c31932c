using Disentangle.Autodiff;
using Disentangle.FewShot;
using Disentangle.Solvers;
using Disentangle.Solvers.GroupSparseSvm;
using Disentangle.Tensors;

namespace Disentangle.Tests.FewShot;

public sealed class GroupSparseSvmHeadTests
{
    private static (Tensor Inputs, Tensor QueryInputs, int[][] Labels, int[] QueryLabels) Episodes(int tasks, int classes, int shots, int queries, int inputs, int seed)
    {
        var random = new Random(seed);
        var means = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, inputs).Select(_ => 1.5 * random.NextGaussian()).ToArray()).ToArray();
        Tensor Draw(int perClass, List<int> labels)
        {
            var data = new float[tasks * classes * perClass * inputs];
            int row = 0;
            for (int t = 0; t < tasks; t++)
                for (int i = 0; i < classes * perClass; i++, row++)
                {
                    int c = i % classes;
                    labels.Add(c);
                    for (int j = 0; j < inputs; j++) data[row * inputs + j] = (float)(means[c][j] + random.NextGaussian());
                }
            return new Tensor(data, [tasks * classes * perClass, inputs]);
        }
        var supportLabels = new List<int>();
        var queryLabels = new List<int>();
        var support = Draw(shots, supportLabels);
        var query = Draw(queries, queryLabels);
        var perTask = Enumerable.Range(0, tasks).Select(t => supportLabels.Skip(t * classes * shots).Take(classes * shots).ToArray()).ToArray();
        return (support, query, perTask, [.. queryLabels]);
    }

    private static GroupSparseSvmDual Solver => new(new GroupSparseSvmOptions(Tolerance: 1e-13, MaxEpochs: 200_000, LambdaMaxTolerance: 1e-6, LambdaMaxIterations: 100_000));

    [Theory, InlineData(0.0), InlineData(0.5), InlineData(2.0)]
    public void Query_cross_entropy_passes_gradcheck_through_a_linear_backbone(double lambda1)
    {
        var (support, query, labels, queryLabels) = Episodes(tasks: 2, classes: 3, shots: 3, queries: 2, inputs: 5, seed: 4);
        var weight = Tensor.RandN([5, 7], new Random(9), std: 0.6f, requiresGrad: true);
        var scale = Tensor.Full([1], 0.7f, requiresGrad: true);
        var head = GroupSparseSvmHead.Absolute(Solver, lambda1, lambda2: 1.0);
        GradCheck.AssertClose(t =>
        {
            var output = head.Forward(support.MatMul(t[0]), labels, query.MatMul(t[0]), 3);
            return output.Scores.Mul(t[1]).CrossEntropy(queryLabels);
        }, [weight, scale], eps: 1e-3, rtol: 3e-2, atol: 2e-4, coords: 20);
    }

    [Fact]
    public void Relative_head_gradient_equals_the_absolute_head_at_the_same_lambda1()
    {
        var (support, query, labels, queryLabels) = Episodes(tasks: 1, classes: 3, shots: 3, queries: 2, inputs: 5, seed: 8);
        var weight = Tensor.RandN([5, 7], new Random(1), std: 0.6f, requiresGrad: true);
        float[] Gradient(GroupSparseSvmHead head, out double lambda1)
        {
            weight.ZeroGrad();
            var output = head.Forward(support.MatMul(weight), labels, query.MatMul(weight), 3);
            lambda1 = output.Lambda1[0];
            output.Scores.CrossEntropy(queryLabels).Backward();
            return (float[])weight.Grad!.Clone();
        }
        var relative = Gradient(GroupSparseSvmHead.Relative(Solver, 0.3, 1.0), out double lambda1);
        var absolute = Gradient(GroupSparseSvmHead.Absolute(Solver, lambda1, 1.0), out _);
        Assert.True(lambda1 > 0);
        Assert.Contains(relative, v => v != 0);
        Assert.Equal(absolute, relative);                                               // no path through λ₁max
    }

    [Fact]
    public void Scores_equal_query_features_times_the_solved_coefficients()
    {
        var (support, query, labels, _) = Episodes(tasks: 3, classes: 4, shots: 2, queries: 3, inputs: 6, seed: 1);
        var head = GroupSparseSvmHead.Relative(Solver, 0.1, lambda2: 10.0);
        var output = head.Forward(support, labels, query, 4);
        for (int t = 0; t < 3; t++)
        {
            var x = new Matrix(8, 6, support.Data.Skip(t * 48).Take(48).Select(v => (double)v).ToArray());
            var direct = Solver.Solve(new GroupSparseSvmProblem(x, labels[t], 4, output.Lambda1[t], 10.0));
            var xq = new Matrix(12, 6, query.Data.Skip(t * 72).Take(72).Select(v => (double)v).ToArray());
            var scores = Matrix.Multiply(xq, direct.W);
            for (int k = 0; k < scores.Data.Length; k++) Assert.Equal(scores.Data[k], output.Scores.Data[t * 48 + k], 1e-4);
            Assert.Equal(0.1 * output.LambdaMax[t]!.Value, output.Lambda1[t], 1e-12);
        }
    }

    [Fact]
    public void Dense_head_computes_no_lambda_max_and_uses_every_feature()
    {
        var (support, query, labels, _) = Episodes(tasks: 2, classes: 5, shots: 2, queries: 1, inputs: 8, seed: 2);
        var output = GroupSparseSvmHead.Relative(Solver, 0, 10.0).Forward(support, labels, query, 5);
        Assert.All(output.LambdaMax, Assert.Null);
        Assert.All(output.FeatureFractions, f => Assert.Equal(1.0, f));
    }

    [Fact]
    public void Bad_shapes_and_ratios_throw()
    {
        var (support, query, labels, _) = Episodes(tasks: 2, classes: 3, shots: 2, queries: 1, inputs: 4, seed: 3);
        var head = GroupSparseSvmHead.Relative(Solver, 0, 1.0);
        Assert.Throws<ArgumentException>(() => head.Forward(support, labels, query.Slice(1, 0, 3), 3));
        Assert.Throws<ArgumentException>(() => head.Forward(support, [labels[0]], query, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => GroupSparseSvmHead.Relative(Solver, 1.0, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => GroupSparseSvmHead.Relative(Solver, 0.1, 0.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => GroupSparseSvmHead.Absolute(Solver, -1.0, 1.0));
        support.Data[3] = float.NaN;
        Assert.Contains("NaN", Assert.Throws<NonFiniteException>(() => head.Forward(support, labels, query, 3)).Message);
    }
}
