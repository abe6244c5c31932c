using Disentangle.Io;
using Disentangle.Optim;
using Disentangle.Tensors;

namespace Disentangle.Tests.Io;

public sealed class CheckpointTests
{
    private sealed record RunConfig(string Model, double LearningRate, int Seed, double Tolerance);

    /// <summary>A toy training run: two parameters, one running-statistics buffer, Adam, and a seeded RNG that feeds the gradients.</summary>
    private sealed class ToyRun
    {
        public readonly Tensor Weight, Bias, RunningMean;
        public readonly Adam Optimizer;
        public SeededRandom Random;
        public long Step;

        public ToyRun(int seed)
        {
            var init = new Random(seed);
            Weight = Tensor.RandN([4, 3], init, requiresGrad: true);
            Bias = Tensor.RandN([4], init, requiresGrad: true);
            RunningMean = Tensor.Zeros([4]);
            Optimizer = new Adam([Weight, Bias], new AdamOptions(LearningRate: 0.05, WeightDecay: 0.01, DecoupledWeightDecay: true));
            Random = new SeededRandom((long)seed);
        }

        public IEnumerable<(string Name, Tensor Value)> NamedParameters() => [("layer.weight", Weight), ("layer.bias", Bias)];
        public IEnumerable<(string Name, Tensor Value)> NamedBuffers() => [("norm.running_mean", RunningMean)];

        public void Train(int steps)
        {
            for (int s = 0; s < steps; s++)
            {
                foreach (var (_, p) in NamedParameters())
                {
                    var g = p.EnsureGrad();
                    for (int i = 0; i < g.Length; i++) g[i] = 2 * p.Data[i] + (float)Random.NextGaussian();   // ∇‖θ‖² + noise
                }
                for (int i = 0; i < RunningMean.Length; i++) RunningMean.Data[i] = 0.9f * RunningMean.Data[i] + 0.1f * (float)Random.NextGaussian();
                Optimizer.Step();
                Optimizer.ZeroGrad();
                Step++;
            }
        }

        public CheckpointState Capture(string config) => new(
            NamedParameters().ToDictionary(p => p.Name, p => p.Value),
            NamedBuffers().ToDictionary(p => p.Name, p => p.Value),
            Optimizer.ExportState(),
            new Dictionary<string, ulong[]> { ["tasks"] = Random.GetState() },
            Step,
            config);

        public void Restore(CheckpointState state)
        {
            Checkpoint.CopyInto(state.Parameters, NamedParameters(), "parameters");
            Checkpoint.CopyInto(state.Buffers, NamedBuffers(), "buffers");
            Optimizer.ImportState(state.OptimizerState);
            Random = SeededRandom.FromState(state.RandomStates["tasks"]);
            Step = state.Step;
        }
    }

    [Fact]
    public void Three_steps_checkpoint_restore_three_more_equals_six_uninterrupted_steps_bitwise()
    {
        using var dir = new TempDirectory();
        string path = dir.File("run.ckpt.safetensors");
        var straight = new ToyRun(seed: 17);
        straight.Train(6);

        var first = new ToyRun(seed: 17);
        first.Train(3);
        Checkpoint.Save(path, first.Capture(JsonFiles.Serialize(new RunConfig("toy", 0.05, 17, 1e-3))));

        var resumed = new ToyRun(seed: 999);   // different initial weights and RNG: everything must come from the file
        resumed.Restore(Checkpoint.Load(path));
        resumed.Train(3);

        Assert.Equal(straight.Weight.Data, resumed.Weight.Data);
        Assert.Equal(straight.Bias.Data, resumed.Bias.Data);
        Assert.Equal(straight.RunningMean.Data, resumed.RunningMean.Data);
        Assert.Equal(straight.Random.GetState(), resumed.Random.GetState());
        Assert.Equal(6L, resumed.Step);
        Assert.Equal(6L, resumed.Optimizer.StepCount);
        var a = straight.Optimizer.ExportState();
        var b = resumed.Optimizer.ExportState();
        Assert.All(a, kv => Assert.True(kv.Value.BitwiseEquals(b[kv.Key]), kv.Key));
    }

    [Fact]
    public void Every_entry_and_the_config_round_trip_bitwise()
    {
        using var dir = new TempDirectory();
        string path = dir.File("c.safetensors");
        var run = new ToyRun(seed: 3);
        run.Train(2);
        run.Weight.Data[0] = float.NaN;
        run.Weight.Data[1] = -0f;
        var config = new RunConfig("toy \"quoted\" λ", double.NaN, 3, 1e-300);
        var saved = run.Capture(JsonFiles.Serialize(config));
        Checkpoint.Save(path, saved);
        var loaded = Checkpoint.Load(path);

        void Same(IReadOnlyDictionary<string, Tensor> x, IReadOnlyDictionary<string, Tensor> y)
        {
            Assert.Equal(x.Keys.Order(), y.Keys.Order());
            Assert.All(x, kv => Assert.True(TensorData.FromTensor(kv.Value).BitwiseEquals(TensorData.FromTensor(y[kv.Key])), kv.Key));
        }
        Same(saved.Parameters, loaded.Parameters);
        Same(saved.Buffers, loaded.Buffers);
        Assert.Equal(saved.OptimizerState.Keys.Order(), loaded.OptimizerState.Keys.Order());
        Assert.All(saved.OptimizerState, kv => Assert.True(kv.Value.BitwiseEquals(loaded.OptimizerState[kv.Key]), kv.Key));
        Assert.Equal(saved.RandomStates["tasks"], loaded.RandomStates["tasks"]);
        Assert.Equal(2L, loaded.Step);
        Assert.Equal(saved.ConfigJson, loaded.ConfigJson);
        Assert.Equal(config, JsonFiles.Deserialize<RunConfig>(loaded.ConfigJson));

        var raw = Safetensors.Load(path);   // a plain safetensors file, readable by any reader
        Assert.Contains("parameters/layer.weight", raw.Tensors.Keys);
        Assert.Equal("checkpoint", raw.Metadata["disentangle.format"]);
    }

    [Fact]
    public void Copy_into_lists_every_mismatch_and_copies_nothing()
    {
        var run = new ToyRun(seed: 1);
        var before = (float[])run.Weight.Data.Clone();
        var saved = new Dictionary<string, Tensor>
        {
            ["layer.weight"] = Tensor.Zeros([4, 3]),
            ["layer.bias"] = Tensor.Zeros([5]),
            ["extra"] = Tensor.Zeros([1]),
        };
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.CopyInto(saved, run.NamedParameters(), "parameters"));
        Assert.Contains("'layer.bias' is [5] in the checkpoint but [4] in the model", e.Message);
        Assert.Contains("'extra' is in the checkpoint but not in the model", e.Message);
        Assert.Equal(before, run.Weight.Data);

        saved.Remove("extra");
        saved.Remove("layer.bias");
        Assert.Contains("'layer.bias' is missing", Assert.Throws<InvalidDataException>(() => Checkpoint.CopyInto(saved, run.NamedParameters(), "parameters")).Message);
    }

    [Fact]
    public void Files_that_are_not_checkpoints_or_have_foreign_entries_are_rejected()
    {
        using var dir = new TempDirectory();
        string path = dir.File("plain.safetensors");
        Safetensors.Save(path, new Dictionary<string, TensorData> { ["w"] = TensorData.Scalar(1f) });
        Assert.Contains("not a Disentangle checkpoint", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path)).Message);

        var meta = new Dictionary<string, string> { ["disentangle.format"] = "checkpoint", ["disentangle.version"] = "1", ["config"] = "{}" };
        Safetensors.Save(path, new Dictionary<string, TensorData> { ["step"] = TensorData.Scalar(1L), ["weights/w"] = TensorData.Scalar(1f) }, meta);
        Assert.Contains("unexpected checkpoint entry 'weights/w'", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path)).Message);

        Safetensors.Save(path, new Dictionary<string, TensorData> { ["step"] = TensorData.Scalar(1.0) }, meta);
        Assert.Contains("'step' is Float64", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path)).Message);

        Safetensors.Save(path, new Dictionary<string, TensorData> { ["step"] = TensorData.Scalar(1L), ["random/x"] = TensorData.Create(new long[3], [3]) }, meta);
        Assert.Contains("Int64 [4]", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path)).Message);

        Safetensors.Save(path, new Dictionary<string, TensorData> { ["parameters/p"] = TensorData.Scalar(1.0) }, meta);
        Assert.Contains("expected Float32", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path)).Message);
    }

    [Fact]
    public void Invalid_config_json_or_random_states_are_rejected_before_writing()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.safetensors");
        var empty = new Dictionary<string, Tensor>();
        var noOptimizer = new Dictionary<string, TensorData>();
        Assert.Contains("not valid JSON", Assert.Throws<ArgumentException>(() =>
            Checkpoint.Save(path, new CheckpointState(empty, empty, noOptimizer, new Dictionary<string, ulong[]>(), 0, "{oops"))).Message);
        Assert.Contains("not 3", Assert.Throws<ArgumentException>(() =>
            Checkpoint.Save(path, new CheckpointState(empty, empty, noOptimizer, new Dictionary<string, ulong[]> { ["r"] = [1, 2, 3] }, 0, "{}"))).Message);
        Assert.False(File.Exists(path));
    }
}
