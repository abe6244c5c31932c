using Disentangle.Tensors;

namespace Disentangle.Nn;

/// <summary>A network component with named parameters, named buffers and child modules (PyTorch's <c>nn.Module</c>).</summary>
/// <remarks>Names are hierarchical, joined by dots in registration order: <c>conv1.weight</c>, <c>bn.running_mean</c>.
/// Parameters are leaf tensors with <see cref="Tensor.RequiresGrad"/>; buffers are state that is saved but not trained
/// (running statistics), updated in place. <see cref="Train"/> and <see cref="Eval"/> set the mode of the whole subtree.</remarks>
public abstract class Module
{
    private readonly List<(string Name, Tensor Tensor)> parameters = [];
    private readonly List<(string Name, Tensor Tensor)> buffers = [];
    private readonly List<(string Name, Module Module)> children = [];

    /// <summary>True in training mode (the default): batch statistics, dropout active.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Maps an input batch to the output batch, recording the graph unless inside <see cref="NoGrad"/>.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Sets training mode (or evaluation mode when false) on this module and all descendants.</summary>
    public void Train(bool training = true)
    {
        Training = training;
        foreach (var (_, child) in children) child.Train(training);
    }

    /// <summary>Sets evaluation mode on this module and all descendants.</summary>
    public void Eval() => Train(false);

    /// <summary>Every parameter with its hierarchical name, depth first in registration order.</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters() => Walk("", m => m.parameters);

    /// <summary>Every buffer with its hierarchical name, depth first in registration order.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers() => Walk("", m => m.buffers);

    /// <summary>Every parameter, in the order of <see cref="NamedParameters"/>.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>The direct children with their names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => children;

    /// <summary>Total number of trainable scalars.</summary>
    public long ParameterCount() => Parameters().Sum(p => (long)p.Length);

    /// <summary>Clears the gradient of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    /// <summary>Registers a trainable tensor under <paramref name="name"/> (marks it as requiring a gradient).</summary>
    /// <exception cref="ArgumentException">The name is empty, contains a dot, or is already used in this module.</exception>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        CheckName(name);
        parameters.Add((name, parameter.RequireGrad()));
        return parameter;
    }

    /// <summary>Registers non-trainable state (e.g. running statistics) under <paramref name="name"/>.</summary>
    /// <inheritdoc cref="RegisterParameter" path="/exception"/>
    protected Tensor RegisterBuffer(string name, Tensor buffer)
    {
        CheckName(name);
        buffers.Add((name, buffer));
        return buffer;
    }

    /// <summary>Registers a child module under <paramref name="name"/>; its names get the prefix <c>name.</c>.</summary>
    /// <inheritdoc cref="RegisterParameter" path="/exception"/>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckName(name);
        module.Train(Training);
        children.Add((name, module));
        return module;
    }

    private IEnumerable<(string, Tensor)> Walk(string prefix, Func<Module, List<(string Name, Tensor Tensor)>> select)
    {
        foreach (var (name, tensor) in select(this)) yield return (prefix + name, tensor);
        foreach (var (name, child) in children)
            foreach (var item in child.Walk(prefix + name + ".", select)) yield return item;
    }

    private void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('.'))
            throw new ArgumentException($"{GetType().Name}: name '{name}' must not contain a dot (dots join hierarchical names).", nameof(name));
        if (parameters.Any(p => p.Name == name) || buffers.Any(b => b.Name == name) || children.Any(c => c.Name == name))
            throw new ArgumentException($"{GetType().Name}: name '{name}' is already registered.", nameof(name));
    }
}
