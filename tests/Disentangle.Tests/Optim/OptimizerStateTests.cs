using Disentangle.Io;
using Disentangle.Optim;
using Disentangle.Tensors;

namespace Disentangle.Tests.Optim;

public sealed class OptimizerStateTests
{
    public static TheoryData<string> Kinds() => ["adam", "adamw", "sgd_nesterov"];

    private static IOptimizer Create(string kind, IReadOnlyList<Tensor> parameters) => kind switch
    {
        "adam" => new Adam(parameters, new AdamOptions(LearningRate: 0.01, WeightDecay: 0.01)),
        "adamw" => new Adam(parameters, new AdamOptions(LearningRate: 0.01, WeightDecay: 0.01, DecoupledWeightDecay: true)),
        _ => new Sgd(parameters, new SgdOptions(0.1, Momentum: 0.9, Nesterov: true, WeightDecay: 5e-4)),
    };

    private static Tensor[] Parameters(int seed)
    {
        var random = new Random(seed);
        return [Tensor.RandN([4, 3], random, requiresGrad: true), Tensor.RandN([7], random, requiresGrad: true)];
    }

    // Gradient of ½‖θ‖² plus seeded noise: deterministic given the RNG, which must continue across the checkpoint too.
    private static void Steps(IOptimizer optimizer, SeededRandom random, int count)
    {
        for (int s = 0; s < count; s++)
        {
            foreach (var p in optimizer.Parameters)
            {
                var g = p.EnsureGrad();
                for (int i = 0; i < g.Length; i++) g[i] = p.Data[i] + (float)random.NextGaussian();
            }
            optimizer.Step();
            optimizer.ZeroGrad();
        }
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Three_steps_then_restore_then_three_more_equal_six_uninterrupted_steps_bitwise(string kind)
    {
        var straight = Create(kind, Parameters(1));
        Steps(straight, new SeededRandom(5L), 6);

        var first = Create(kind, Parameters(1));
        var random = new SeededRandom(5L);
        Steps(first, random, 3);
        var state = first.ExportState();
        var weights = first.Parameters.Select(p => (float[])p.Data.Clone()).ToArray();
        ulong[] rng = random.GetState();

        var resumed = Create(kind, weights.Select((w, i) => new Tensor(w, first.Parameters[i].Shape, true)).ToArray());
        resumed.ImportState(state);
        Steps(resumed, SeededRandom.FromState(rng), 3);

        Assert.Equal(6L, resumed.StepCount);
        for (int i = 0; i < straight.Parameters.Count; i++) Assert.Equal(straight.Parameters[i].Data, resumed.Parameters[i].Data);
        var a = straight.ExportState();
        var b = resumed.ExportState();
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        Assert.All(a, kv => Assert.True(kv.Value.BitwiseEquals(b[kv.Key]), kv.Key));
    }

    [Fact]
    public void Exported_state_is_a_copy_that_later_steps_do_not_change()
    {
        var adam = Create("adam", Parameters(2));
        Steps(adam, new SeededRandom(1L), 1);
        var state = adam.ExportState();
        float before = state["0.exp_avg"].As<float>()[0];
        Steps(adam, new SeededRandom(2L), 1);
        Assert.Equal(before, state["0.exp_avg"].As<float>()[0]);
        Assert.Equal([4, 3], state["0.exp_avg"].Shape);
        Assert.Equal(0.01, state["learning_rate"].ScalarValue<double>());
    }

    [Fact]
    public void Imported_learning_rate_and_step_count_are_restored()
    {
        var adam = Create("adam", Parameters(2));
        adam.LearningRate = 0.123;
        Steps(adam, new SeededRandom(1L), 2);
        var fresh = Create("adam", Parameters(2));
        fresh.ImportState(adam.ExportState());
        Assert.Equal(0.123, fresh.LearningRate);
        Assert.Equal(2L, fresh.StepCount);
    }

    [Fact]
    public void State_with_unknown_keys_wrong_shapes_or_missing_entries_is_rejected_and_changes_nothing()
    {
        var adam = Create("adam", Parameters(3));
        Steps(adam, new SeededRandom(1L), 2);
        var good = adam.ExportState();
        var target = Create("adam", Parameters(3));

        var sgdState = Create("sgd_nesterov", Parameters(3));
        Steps(sgdState, new SeededRandom(1L), 1);
        Assert.Contains("'0.momentum_buffer'", Assert.Throws<ArgumentException>(() => target.ImportState(sgdState.ExportState())).Message);

        var wrongShape = new Dictionary<string, TensorData>(good) { ["1.exp_avg"] = TensorData.Create(new float[6], [6]) };
        Assert.Contains("[7]", Assert.Throws<ArgumentException>(() => target.ImportState(wrongShape)).Message);

        var missing = new Dictionary<string, TensorData>(good);
        missing.Remove("step_count");
        Assert.Contains("step_count", Assert.Throws<ArgumentException>(() => target.ImportState(missing)).Message);

        var partial = new Dictionary<string, TensorData>(good);
        partial.Remove("0.exp_avg_sq");
        Assert.Throws<ArgumentException>(() => target.ImportState(partial));

        var wrongType = new Dictionary<string, TensorData>(good) { ["step_count"] = TensorData.Scalar(2.0) };
        Assert.Throws<ArgumentException>(() => target.ImportState(wrongType));

        Assert.Equal(0L, target.StepCount);
        Assert.Equal(["learning_rate", "step_count"], target.ExportState().Keys.Order());
    }
}
