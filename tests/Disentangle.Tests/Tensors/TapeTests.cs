using Disentangle.Autodiff;
using Disentangle.Tensors;

namespace Disentangle.Tests.Tensors;

public sealed class TapeTests
{
    [Fact]
    public void Gradients_accumulate_across_backward_calls_until_zeroed()
    {
        var x = new Tensor([1f, 2f, 3f], [3], requiresGrad: true);
        (x * x).Sum().Backward();
        (x * 3f).Sum().Backward();
        Assert.Equal([2f + 3f, 4f + 3f, 6f + 3f], x.Grad!);
        x.ZeroGrad();
        Assert.Null(x.Grad);
    }

    [Fact]
    public void A_tensor_used_twice_receives_both_contributions()
    {
        var x = new Tensor([2f], [1], requiresGrad: true);
        var y = x * x + x.Exp() * x;   // dy/dx = 2x + eˣ(1 + x)
        y.Sum().Backward();
        Assert.Equal(4f + MathF.Exp(2f) * 3f, x.Grad![0], 1e-4);
    }

    [Fact]
    public void No_grad_scope_records_nothing_and_nests()
    {
        var x = Tensor.Full([2], 1f, requiresGrad: true);
        Tensor y;
        using (new NoGrad())
        {
            using (new NoGrad()) Assert.True(NoGrad.IsActive);
            Assert.True(NoGrad.IsActive);
            y = x * 2f;
        }
        Assert.False(NoGrad.IsActive);
        Assert.False(y.RequiresGrad);
        Assert.True(y.IsLeaf);
        Assert.True((x * 2f).RequiresGrad);
    }

    [Fact]
    public async Task No_grad_flows_into_parallel_work_started_inside_the_scope()
    {
        var flags = new bool[8];
        using (new NoGrad()) Parallel.For(0, 8, i => flags[i] = NoGrad.IsActive);
        Assert.All(flags, Assert.True);
        bool outside = true;
        await Task.Run(() => outside = NoGrad.IsActive);
        Assert.False(outside);
    }

    [Fact]
    public void Backward_releases_the_graph_and_a_second_backward_throws()
    {
        var x = Tensor.Full([3], 2f, requiresGrad: true);
        var hidden = x * x;
        var loss = hidden.Sum();
        loss.Backward();
        Assert.Null(hidden.Grad);          // intermediate gradient released
        Assert.Null(hidden.Parents);       // references to the inputs dropped
        Assert.NotNull(x.Grad);            // the leaf keeps its gradient
        Assert.Throws<InvalidOperationException>(() => loss.Backward());
    }

    [Fact]
    public void Backward_of_a_non_scalar_needs_an_output_gradient()
    {
        var x = Tensor.Full([3], 2f, requiresGrad: true);
        var y = x * 3f;
        Assert.Throws<InvalidOperationException>(() => y.Backward());
        var e = Assert.Throws<ArgumentException>(() => y.Backward(new float[2]));
        Assert.Contains("[3]", e.Message);
        y.Backward([1f, 0f, 2f]);
        Assert.Equal([3f, 0f, 6f], x.Grad!);
    }

    [Fact]
    public void Backward_from_a_tensor_without_parameters_throws()
    {
        var y = Tensor.Full([1], 2f) * 3f;
        Assert.Throws<InvalidOperationException>(() => y.Backward());
    }

    [Fact]
    public void A_deep_chain_does_not_overflow_the_stack()
    {
        var x = Tensor.Full([1], 1f, requiresGrad: true);
        var y = x;
        for (int i = 0; i < 100_000; i++) y = y + 0f;
        y.Sum().Backward();
        Assert.Equal(1f, x.Grad![0]);
    }

    /// <summary>A custom op y = A·x (a solver's linear map) with its VJP ∂x += Aᵀ·dy, ∂A += dy xᵀ.</summary>
    private static Tensor CustomMatVec(Tensor a, Tensor x, bool wrongBackward = false)
    {
        int m = a.Shape[0], n = a.Shape[1];
        var y = new float[m];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) y[i] += a.Data[i * n + j] * x.Data[j];
        return Tensor.Custom(y, [m], [a, x], (dy, grads) =>
        {
            if (grads[0] is float[] ga) for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) ga[i * n + j] += dy[i] * x.Data[j];
            if (grads[1] is float[] gx) for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) gx[j] += (wrongBackward ? 1.1f : 1f) * a.Data[i * n + j] * dy[i];
        });
    }

    [Fact]
    public void Custom_op_with_a_correct_vjp_passes_grad_check()
    {
        var random = new Random(3);
        var a = Tensor.RandN([4, 3], random, requiresGrad: true);
        var x = Tensor.RandN([3], random, requiresGrad: true);
        GradCheck.AssertClose(t => CustomMatVec(t[0], t[1]).Tanh(), [a, x], eps: 1e-2);
    }

    [Fact]
    public void Grad_check_names_the_input_and_coordinate_of_a_wrong_vjp()
    {
        var random = new Random(3);
        var a = Tensor.RandN([4, 3], random, requiresGrad: true);
        var x = Tensor.RandN([3], random, requiresGrad: true);
        var e = Assert.Throws<GradientMismatchException>(() => GradCheck.AssertClose(t => CustomMatVec(t[0], t[1], wrongBackward: true), [a, x], eps: 1e-2));
        Assert.Contains("input 1", e.Message);
        Assert.Contains("coordinate", e.Message);
    }

    [Fact]
    public void Custom_op_records_nothing_when_no_input_needs_a_gradient()
    {
        bool called = false;
        var y = Tensor.Custom([1f], [1], [Tensor.Zeros([2])], (_, _) => called = true);
        Assert.False(y.RequiresGrad);
        Assert.False(called);
    }

    [Fact]
    public void Custom_op_passes_null_buffers_for_inputs_without_gradient()
    {
        var p = Tensor.Full([2], 1f, requiresGrad: true);
        var c = Tensor.Full([2], 5f);
        float[]?[]? seen = null;
        var y = Tensor.Custom([3f], [1], [p, c], (dy, grads) => { seen = grads; grads[0]![0] += dy[0]; });
        y.Backward();
        Assert.NotNull(seen![0]);
        Assert.Null(seen[1]);
        Assert.Equal([1f, 0f], p.Grad!);
    }

    [Fact]
    public void Relu_at_zero_has_subgradient_zero()
    {
        var x = new Tensor([-1f, 0f, 2f], [3], requiresGrad: true);
        x.Relu().Sum().Backward();
        Assert.Equal([0f, 0f, 1f], x.Grad!);
    }

    [Fact]
    public void Leaky_relu_at_zero_uses_the_slope()
    {
        var x = new Tensor([-1f, 0f, 2f], [3], requiresGrad: true);
        x.LeakyRelu(0.1f).Sum().Backward();
        Assert.Equal([0.1f, 0.1f, 1f], x.Grad!);
    }

    [Fact]
    public void Max_pool_routes_a_tied_gradient_to_exactly_one_element()
    {
        var x = new Tensor(Enumerable.Repeat(3f, 16).ToArray(), [1, 1, 4, 4], requiresGrad: true);
        var y = x.MaxPool2d(2);
        Assert.All(y.Data, v => Assert.Equal(3f, v));
        y.Backward([1f, 2f, 3f, 4f]);
        // each 2×2 window sends its whole gradient to its first (top-left) element
        Assert.Equal([1f, 0f, 2f, 0f, 0f, 0f, 0f, 0f, 3f, 0f, 4f, 0f, 0f, 0f, 0f, 0f], x.Grad!);
    }
}
