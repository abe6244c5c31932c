using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>Anderson extrapolation of a fixed-point iteration (Bertrand &amp; Massias 2021, "Anderson acceleration of
/// coordinate descent"): from iterates <c>x_0..x_K</c>, with <c>U = [x_1 − x_0, …, x_K − x_{K−1}]</c>, returns
/// <c>Σ c_i x_i</c> where <c>c = z/Σz</c>, <c>(UᵀU) z = 1</c>.</summary>
internal sealed class AndersonExtrapolation(int memory)
{
    private readonly double[][] iterates = new double[memory + 1][];
    private int count;

    /// <summary>The latest iterate pushed (packed by position in the set).</summary>
    public double[] Latest => iterates[count == 0 ? memory : count - 1];

    /// <summary>Forgets the history and sets the dimension of the packed iterates.</summary>
    public void Reset(int dimension)
    {
        count = 0;
        for (int i = 0; i <= memory; i++)
            if (iterates[i] is null || iterates[i].Length != dimension) iterates[i] = new double[dimension];
    }

    /// <summary>Stores the blocks of <paramref name="w"/> (m, k) on <paramref name="set"/>; true when K+1 iterates are held.</summary>
    public bool Push(double[] w, int[] set)
    {
        var x = iterates[count];
        int k = set.Length == 0 ? 0 : x.Length / set.Length;
        for (int s = 0; s < set.Length; s++) w.AsSpan(set[s] * k, k).CopyTo(x.AsSpan(s * k, k));
        count++;
        return count == memory + 1;
    }

    /// <summary>The extrapolated point, or null when the system is degenerate; the history is cleared either way.</summary>
    public double[]? Extrapolate()
    {
        count = 0;
        int d = iterates[0].Length;
        var u = new double[memory][];
        for (int i = 0; i < memory; i++)
        {
            u[i] = new double[d];
            System.Numerics.Tensors.TensorPrimitives.Subtract(iterates[i + 1], iterates[i], u[i]);
        }
        var gram = new Matrix(memory, memory);
        for (int a = 0; a < memory; a++)
            for (int b = 0; b <= a; b++)
                gram[a, b] = gram[b, a] = System.Numerics.Tensors.TensorPrimitives.Dot(u[a], u[b]);
        if (!(gram[memory - 1, memory - 1] > 0)) return null;             // converged: nothing to extrapolate
        var z = new double[memory];
        Array.Fill(z, 1.0);
        LinearAlgebra.Cholesky(gram).SolveInPlace(z);
        double sum = z.Sum();
        if (!double.IsFinite(sum) || sum == 0) return null;
        var result = new double[d];
        for (int i = 0; i < memory; i++)
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(iterates[i + 1], z[i] / sum, result, result);
        return result;
    }
}
