using Disentangle.Autodiff;
using Disentangle.Nn;
using Disentangle.Tensors;

namespace Disentangle.Tests.Nn;

public sealed class ResNet12Tests
{
    [Fact]
    public void Standard_resnet12_has_metaoptnet_names_and_parameter_count()
    {
        var net = new ResNet12(new ResNet12Options(), new Random(1));
        var names = net.NamedParameters().Select(p => p.Name).ToList();
        Assert.Equal("layer1.conv1.weight", names[0]);
        Assert.Contains("layer1.downsample.0.weight", names);
        Assert.Contains("layer4.bn3.bias", names);
        Assert.Contains("layer2.downsample.1.running_var", net.NamedBuffers().Select(b => b.Name));
        long expected = 0;
        int cin = 3;
        foreach (int c in new[] { 64, 160, 320, 640 })
        {
            expected += 9L * cin * c + 2 * 9L * c * c + cin * c + 4 * 2 * c;   // 3 convs, 1×1 shortcut, 4 batch norms
            cin = c;
        }
        Assert.Equal(expected, net.ParameterCount());
        Assert.Equal(16000, net.FeatureCount(84));
    }

    [Fact]
    public void An_84_pixel_image_gives_640_by_5_by_5_features()
    {
        var net = new ResNet12(new ResNet12Options(), new Random(2));
        net.Eval();
        using var scope = new NoGrad();
        var y = net.Forward(Tensor.RandN([1, 3, 84, 84], new Random(3)));
        Assert.Equal([1, 640 * 5 * 5], y.Shape);
        Assert.All(y.Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Small_resnet12_matches_central_differences()
    {
        var random = new Random(4);
        var net = new ResNet12(new ResNet12Options(Widths: [2, 3, 3, 4], DropRate: 0f), random);
        var x = Tensor.RandN([2, 3, 16, 16], random, requiresGrad: true);
        GradCheck.AssertClose(t => net.Forward(t[0]), [x, .. net.Parameters()], eps: 2e-3, rtol: 3e-2, atol: 3e-3, coords: 6, maxNonSmoothFraction: 0.2);
    }

    [Fact]
    public void Resnet_block_maps_channels_and_halves_the_size()
    {
        var block = new ResNetBlock(3, 5, new Random(5), new Random(6));
        Assert.Equal([2, 5, 4, 3], block.Forward(Tensor.RandN([2, 3, 9, 7], new Random(7))).Shape);
    }

    [Fact]
    public void Drop_block_zeroes_whole_blocks_and_rescales_the_rest()
    {
        var drop = new DropBlock(3, new Random(8));
        var x = Tensor.Full([2, 4, 10, 10], 1f, requiresGrad: true);
        var y = drop.Apply(x, gamma: 0.02);
        int zeros = y.Data.Count(v => v == 0f);
        Assert.InRange(zeros, 9, y.Length - 1);
        float scale = y.Data.First(v => v != 0f);
        Assert.All(y.Data, v => Assert.True(v == 0f || v == scale));
        Assert.Equal(y.Length / (double)(y.Length - zeros), scale, 1e-4);
        for (int p = 0; p < 8; p++)   // every zero lies in a fully zero 3×3 square
            for (int i = 0; i < 10; i++) for (int j = 0; j < 10; j++)
            {
                if (y.Data[p * 100 + i * 10 + j] != 0f) continue;
                bool inBlock = false;
                for (int a = Math.Max(0, i - 2); a <= Math.Min(i, 7) && !inBlock; a++)
                    for (int b = Math.Max(0, j - 2); b <= Math.Min(j, 7) && !inBlock; b++)
                        inBlock = Enumerable.Range(0, 9).All(q => y.Data[p * 100 + (a + q / 3) * 10 + b + q % 3] == 0f);
                Assert.True(inBlock, $"zero at plane {p} ({i}, {j}) is not inside a dropped block");
            }
        y.Backward(Enumerable.Repeat(1f, y.Length).ToArray());
        Assert.Equal(y.Data, x.Grad!);   // ∂x = mask·scale
    }

    [Fact]
    public void Dropout_and_drop_block_act_only_in_training()
    {
        var net = new ResNet12(new ResNet12Options(Widths: [4, 4, 4, 4], DropRate: 0.5f, DropBlockSize: 2), new Random(9));
        var x = Tensor.RandN([2, 3, 32, 32], new Random(10));
        net.Eval();
        var a = net.Forward(x).Data;
        var b = net.Forward(x).Data;
        Assert.Equal(a, b);
        net.Train();
        var c = net.Forward(x).Data;   // batch norm in training is deterministic, so any difference comes from the masks
        var d = net.Forward(x).Data;
        Assert.NotEqual(c, d);
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new ResNet12(new ResNet12Options(Widths: [64, 160, 320]), new Random(1)));
        Assert.Throws<ArgumentException>(() => new ResNet12(new ResNet12Options(DropRate: 1f), new Random(1)));
        var net = new ResNet12(new ResNet12Options(Widths: [2, 2, 2, 2]), new Random(1));
        var e = Assert.Throws<ArgumentException>(() => net.Forward(Tensor.Zeros([1, 1, 84, 84])));
        Assert.Contains("[1, 1, 84, 84]", e.Message);
    }
}
