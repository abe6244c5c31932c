
namespace Disentangle.Tensors;

public sealed partial class Tensor
{
    internal Tensor[]? Parents;
    internal Action<float[]>? BackwardFunction;
    internal bool Released;

    /// <summary>True when this tensor was not produced by a recorded op (a parameter, an input, or a constant).</summary>
    public bool IsLeaf => BackwardFunction is null && !Released;

    /// <summary>Records <paramref name="y"/> as the result of an op on <paramref name="parents"/> with the given backward.</summary>
    /// <remarks>Records nothing inside a <see cref="NoGrad"/> scope or when no parent requires a gradient. Before
    /// <paramref name="backward"/> runs, every parent that requires a gradient has its <see cref="Grad"/> allocated;
    /// the backward must accumulate into it (<c>+=</c>) and skip parents with <c>RequiresGrad == false</c>.</remarks>
    internal static Tensor Node(Tensor y, Tensor[] parents, Action<float[]> backward)
    {
        if (NoGrad.IsActive) return y;
        bool any = false;
        foreach (var p in parents) any |= p.RequiresGrad;
        if (!any) return y;
        y.RequiresGrad = true;
        y.Parents = parents;
        y.BackwardFunction = backward;
        return y;
    }

    /// <summary>Registers an op computed outside the library (a solver, say) with its vector–Jacobian product.</summary>
    /// <remarks><paramref name="backward"/> receives <c>outputGrad</c> (∂L/∂output, same length as <paramref name="output"/>)
    /// and <c>inputGrads</c>, where <c>inputGrads[i]</c> is the gradient buffer of <c>inputs[i]</c> (length
    /// <c>inputs[i].Length</c>) or null when that input needs no gradient; it must ADD <c>(∂output/∂inputs[i])ᵀ·outputGrad</c>
    /// into each non-null buffer. Inside <see cref="NoGrad"/>, or when no input requires a gradient, nothing is recorded.
    /// <c>outputGrad</c> is valid only during the call (the tape reuses its buffer afterwards).</remarks>
    /// <param name="output">The op's values (wrapped, not copied).</param>
    /// <param name="shape">The op's output shape.</param>
    /// <param name="inputs">The tensors the output depends on.</param>
    /// <param name="backward">The vector–Jacobian product, accumulating into the input gradients.</param>
    /// <exception cref="ArgumentException">The output length does not match the shape.</exception>
    public static Tensor Custom(float[] output, int[] shape, Tensor[] inputs, CustomBackward backward)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(backward);
        var y = new Tensor(output, shape);
        var parents = (Tensor[])inputs.Clone();
        return Node(y, parents, dy =>
        {
            var grads = new float[]?[parents.Length];
            for (int i = 0; i < parents.Length; i++) grads[i] = parents[i].RequiresGrad ? parents[i].Grad : null;
            backward(dy, grads);
        });
    }

    /// <summary>Back-propagates from this scalar: adds ∂this/∂leaf to the <see cref="Grad"/> of every leaf that requires it.</summary>
    /// <remarks>Visits the graph in reverse topological order, then releases it (intermediate gradients and references), so
    /// a second backward through the same graph throws. Leaf gradients accumulate across calls.</remarks>
    /// <exception cref="InvalidOperationException">This tensor is not a scalar, does not require a gradient, or its graph was released.</exception>
    public void Backward()
    {
        if (Length != 1)
            throw new InvalidOperationException($"Backward: tensor of shape {Format(Shape)} is not a scalar; pass the output gradient.");
        Backward([1f]);
    }

    /// <summary>Back-propagates the given output gradient ∂L/∂this (same length as this tensor).</summary>
    /// <inheritdoc cref="Backward()" path="/remarks"/>
    /// <exception cref="ArgumentException">The gradient length differs from this tensor's.</exception>
    public void Backward(float[] outputGrad)
    {
        ArgumentNullException.ThrowIfNull(outputGrad);
        if (outputGrad.Length != Length)
            throw Error("Backward", $"output gradient has {outputGrad.Length} values but the tensor {Format(Shape)} has {Length}.", nameof(outputGrad));
        Tape.Run(this, outputGrad);
    }
}
