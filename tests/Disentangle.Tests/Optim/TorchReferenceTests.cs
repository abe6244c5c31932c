using System.Text.Json;
using Disentangle.Optim;
using Disentangle.Tensors;

namespace Disentangle.Tests.Optim;

/// <summary>Trajectories recorded from torch.optim by tests/fixtures/optim_torch_reference.py.</summary>
public sealed class TorchReferenceTests
{
    private static readonly JsonElement Fixture = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Optim", "torch_reference.json"))).RootElement;

    public static TheoryData<string> Configs() => [.. Fixture.GetProperty("configs").EnumerateObject().Select(p => p.Name)];

    private static float[] Floats(JsonElement e) => [.. e.EnumerateArray().Select(x => (float)x.GetDouble())];

    private static double Option(JsonElement options, string name, double fallback) =>
        options.TryGetProperty(name, out var v) ? (v.ValueKind == JsonValueKind.True ? 1 : v.ValueKind == JsonValueKind.False ? 0 : v.GetDouble()) : fallback;

    private static IOptimizer Create(JsonElement config, IReadOnlyList<Tensor> parameters)
    {
        var o = config.GetProperty("options");
        double lr = o.GetProperty("lr").GetDouble(), wd = Option(o, "weight_decay", 0);
        string kind = config.GetProperty("optimizer").GetString()!;
        if (kind == "SGD")
            return new Sgd(parameters, new SgdOptions(lr, Option(o, "momentum", 0), Option(o, "nesterov", 0) == 1, wd, Option(o, "dampening", 0)));
        double[] betas = o.TryGetProperty("betas", out var b) ? [.. b.EnumerateArray().Select(x => x.GetDouble())] : [0.9, 0.999];
        // torch.optim.AdamW's default weight decay is 1e-2; the fixture always sets it.
        return new Adam(parameters, new AdamOptions(lr, betas[0], betas[1], Option(o, "eps", 1e-8), wd, DecoupledWeightDecay: kind == "AdamW"));
    }

    // Bitwise: every kernel does torch's float32 operations in torch's order (fused multiply-add where torch's
    // add-with-alpha fuses), and each of those is correctly rounded, so the result does not depend on the CPU.
    [Theory, MemberData(nameof(Configs))]
    public void Six_steps_reproduce_the_torch_trajectory_bitwise(string name)
    {
        var config = Fixture.GetProperty("configs").GetProperty(name);
        var shapes = Fixture.GetProperty("shapes").EnumerateArray().Select(s => s.EnumerateArray().Select(d => d.GetInt32()).ToArray()).ToArray();
        var initial = Fixture.GetProperty("initial").EnumerateArray().Select(Floats).ToArray();
        var grads = Fixture.GetProperty("grads").EnumerateArray().Select(step => step.EnumerateArray().Select(Floats).ToArray()).ToArray();
        var parameters = initial.Select((v, i) => new Tensor(v, shapes[i], requiresGrad: true)).ToArray();
        var optimizer = Create(config, parameters);

        int t = 0;
        foreach (var expectedStep in config.GetProperty("trajectory").EnumerateArray())
        {
            if (t == 4) optimizer.LearningRate *= 0.5;
            for (int i = 0; i < parameters.Length; i++) parameters[i].Grad = t == 2 && i == 1 ? null : (float[])grads[t][i].Clone();
            optimizer.Step();
            int p = 0;
            foreach (var expected in expectedStep.EnumerateArray().Select(Floats))
            {
                for (int j = 0; j < expected.Length; j++)
                    Assert.True(BitConverter.SingleToInt32Bits(expected[j]) == BitConverter.SingleToInt32Bits(parameters[p].Data[j]),
                        $"{name}, step {t + 1}, parameter {p}[{j}]: torch {expected[j]:R}, ours {parameters[p].Data[j]:R}");
                p++;
            }
            t++;
        }
        Assert.Equal(6, t);
    }
}
