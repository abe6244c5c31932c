using Disentangle.Nn;
using Disentangle.Tensors;

namespace Disentangle.Tests.Nn;

public sealed class ModuleTests
{
    [Fact]
    public void Conv_encoder_names_its_parameters_and_buffers_hierarchically()
    {
        var encoder = new ConvEncoder(6, new Random(1));
        Assert.Equal(["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv3.weight", "conv3.bias", "conv4.weight", "conv4.bias",
            "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], encoder.NamedParameters().Select(p => p.Name));
        Assert.Equal(["bn.running_mean", "bn.running_var"], encoder.NamedBuffers().Select(b => b.Name));
        Assert.Equal(1024, encoder.FlatFeatures);
        long expected = (32 * 3 * 16 + 32) + (32 * 32 * 16 + 32) + (64 * 32 * 4 + 64) + (64 * 64 * 4 + 64) + (1024 * 256 + 256) + (256 * 6 + 6);
        Assert.Equal(expected, encoder.ParameterCount());
        Assert.All(encoder.Parameters(), p => Assert.True(p.RequiresGrad));
        Assert.All(encoder.NamedBuffers(), b => Assert.False(b.Buffer.RequiresGrad));
    }

    [Fact]
    public void Sequential_and_mlp_name_children_by_position()
    {
        var mlp = new Mlp([4, 8, 8, 2], new Random(2), () => new LeakyReLU(0.2f));
        Assert.Equal(["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias", "layers.4.weight", "layers.4.bias"],
            mlp.NamedParameters().Select(p => p.Name));
        Assert.Equal([3, 2], mlp.Forward(Tensor.Zeros([3, 4])).Shape);
    }

    [Fact]
    public void Train_and_eval_propagate_to_every_descendant()
    {
        var net = new Sequential(new Linear(2, 2, new Random(3)), new Sequential(new BatchNorm1d(2), new ReLU()));
        net.Eval();
        Assert.All(Descendants(net), m => Assert.False(m.Training));
        net.Train();
        Assert.All(Descendants(net), m => Assert.True(m.Training));
    }

    private static IEnumerable<Module> Descendants(Module m) => m.NamedChildren().SelectMany(c => Descendants(c.Module).Prepend(c.Module));

    [Fact]
    public void Registering_a_name_twice_or_with_a_dot_throws()
    {
        Assert.Throws<ArgumentException>(() => new BadModule("w", "w"));
        Assert.Throws<ArgumentException>(() => new BadModule("a.b", "c"));
    }

    private sealed class BadModule : Module
    {
        public BadModule(string first, string second)
        {
            RegisterParameter(first, Tensor.Zeros([1]));
            RegisterBuffer(second, Tensor.Zeros([1]));
        }

        public override Tensor Forward(Tensor input) => input;
    }

    [Fact]
    public void Zero_grad_clears_every_parameter_gradient()
    {
        var layer = new Linear(3, 2, new Random(4));
        layer.Forward(Tensor.Full([1, 3], 1f)).Sum().Backward();
        Assert.All(layer.Parameters(), p => Assert.NotNull(p.Grad));
        layer.ZeroGrad();
        Assert.All(layer.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void Default_initialisation_follows_pytorch_bounds()
    {
        var conv = new Conv2d(8, 16, 3, new Random(5));
        float bound = 1f / MathF.Sqrt(8 * 9);
        Assert.All(conv.Weight.Data, v => Assert.InRange(v, -bound, bound));
        Assert.All(conv.Bias!.Data, v => Assert.InRange(v, -bound, bound));
        double variance = conv.Weight.Data.Average(v => (double)v * v);
        Assert.InRange(variance, 0.8 * bound * bound / 3, 1.2 * bound * bound / 3);   // U(−b, b) has variance b²/3
        var w = Tensor.Zeros([200, 300]);
        Init.KaimingNormal(w, 300, new Random(6));
        Assert.InRange(w.Data.Average(v => (double)v * v), 0.95 * 2.0 / 300, 1.05 * 2.0 / 300);
        Init.GlorotUniform(w, 300, 200, new Random(7));
        Assert.All(w.Data, v => Assert.InRange(v, -MathF.Sqrt(6f / 500), MathF.Sqrt(6f / 500)));
        Assert.Equal((8 * 9, 16 * 9), Init.Fans(conv.Weight.Shape));
    }

    [Fact]
    public void Same_seed_gives_identical_initial_parameters()
    {
        var a = new ConvEncoder(6, new Random(11)).Parameters().SelectMany(p => p.Data).ToArray();
        var b = new ConvEncoder(6, new Random(11)).Parameters().SelectMany(p => p.Data).ToArray();
        var c = new ConvEncoder(6, new Random(12)).Parameters().SelectMany(p => p.Data).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Conv_encoder_rejects_images_of_the_wrong_shape()
    {
        var encoder = new ConvEncoder(6, new Random(1));
        var e = Assert.Throws<ArgumentException>(() => encoder.Forward(Tensor.Zeros([2, 3, 32, 32])));
        Assert.Contains("[2, 3, 32, 32]", e.Message);
        Assert.Throws<ArgumentException>(() => new BatchNorm2d(4).Forward(Tensor.Zeros([2, 4])));
        Assert.Throws<ArgumentException>(() => new Mlp([3], new Random(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(3, 4, 3, new Random(1), padding: ConvPadding.Explicit(-1)));
    }
}
