using Disentangle.Autodiff;


namespace Disentangle.Tensors;

/// <summary>Reverse-mode sweep over the recorded graph (the tape is implicit in each tensor's parents).</summary>
internal static class Tape
{
    /// <summary>Accumulates <paramref name="seed"/> into the root, runs every backward in reverse topological order, then
    /// releases the graph: intermediate gradients, parents and closures.</summary>
    public static void Run(Tensor root, float[] seed)
    {
        if (root.Released)
            throw new InvalidOperationException($"Backward: the graph of {root} was already released by an earlier backward pass.");
        if (!root.RequiresGrad)
            throw new InvalidOperationException($"Backward: {root} does not require a gradient (no parameter reaches it, or it was built under NoGrad).");
        var order = TopologicalOrder(root);
        var g = EnsureGrad(root);
        for (int i = 0; i < g.Length; i++) g[i] += seed[i];
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var node = order[i];
            if (node.BackwardFunction is null || node.Grad is null) continue;
            foreach (var p in node.Parents!)
            {
                if (p.Released)
                    throw new InvalidOperationException($"Backward: {p} belongs to a graph already released by an earlier backward pass.");
                if (p.RequiresGrad) EnsureGrad(p);
            }
            node.BackwardFunction(node.Grad);
            Release(node);
        }
        foreach (var node in order) if (node.BackwardFunction is not null) Release(node);
    }

    /// <summary>The node's gradient buffer: a leaf's own (kept across passes), an intermediate's from <see cref="GradientPool"/>.</summary>
    private static float[] EnsureGrad(Tensor node)
    {
        if (node.Grad is null && node.BackwardFunction is not null) node.Grad = GradientPool.Rent(node.Length);
        return node.EnsureGrad();
    }

    private static void Release(Tensor node)
    {
        if (node.Grad is { } pooled && node.BackwardFunction is not null) GradientPool.Return(pooled);
        node.Grad = null;
        node.Parents = null;
        node.BackwardFunction = null;
        node.Released = true;
    }

    /// <summary>Post-order depth-first listing (parents before children), iterative so deep graphs cannot overflow the stack.</summary>
    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor Node, int Next)>();
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            var parents = node.Parents;
            if (parents is not null && next < parents.Length)
            {
                stack.Push((node, next + 1));
                var p = parents[next];
                if (p.RequiresGrad && visited.Add(p)) stack.Push((p, 0));
            }
            else order.Add(node);
        }
        return order;
    }
}
