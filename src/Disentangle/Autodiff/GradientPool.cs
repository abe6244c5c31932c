using Disentangle.Tensors;

namespace Disentangle.Autodiff;

/// <summary>Reuses the gradient buffers of intermediate tensors from one backward pass to the next.</summary>
/// <remarks>The tape owns those buffers: it allocates them before a node's backward and drops them when it releases the
/// node, so they can be handed back here and rented again (cleared) by the next pass instead of being fresh pages every
/// step (on this workload, fresh large arrays cost more in page faults than their arithmetic). Leaf gradients are never
/// pooled. At most <see cref="MaxPooledFloats"/> floats are kept; the rest is left to the GC.</remarks>
internal static class GradientPool
{
    /// <summary>Floats kept at most (1 GiB).</summary>
    public const long MaxPooledFloats = 1L << 28;

    private static readonly Dictionary<int, Stack<float[]>> free = [];
    private static readonly Lock gate = new();
    private static long pooled;

    /// <summary>A zeroed array of <paramref name="length"/> floats, reused when one is free.</summary>
    public static float[] Rent(int length)
    {
        float[]? array = null;
        lock (gate)
        {
            if (free.TryGetValue(length, out var stack) && stack.Count > 0)
            {
                array = stack.Pop();
                pooled -= length;
            }
        }
        if (array is null) return new float[length];
        Tensor.Chunked(length, (start, count) => Array.Clear(array, start, count));
        return array;
    }

    /// <summary>Hands back a buffer no one references any more.</summary>
    public static void Return(float[] array)
    {
        lock (gate)
        {
            if (pooled + array.Length > MaxPooledFloats) return;
            if (!free.TryGetValue(array.Length, out var stack)) free[array.Length] = stack = new Stack<float[]>();
            stack.Push(array);
            pooled += array.Length;
        }
    }
}
