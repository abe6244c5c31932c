using Disentangle.Tensors;

namespace Disentangle.Autodiff;

/// <summary>Checks analytic gradients against float64 central differences of the float32 graph.</summary>
/// <remarks>For L = ⟨v, f(inputs)⟩ (v = 1 for a scalar output, else a fixed random cotangent), compares ∂L/∂x_j from
/// <see cref="Tensor.Backward(float[])"/> with <c>(L(x + h e_j) − L(x − h e_j)) / (2h)</c> summed in float64, on a random
/// subset of coordinates of every input that requires a gradient. Passes when
/// <c>|analytic − numeric| ≤ atol + rtol·max(|analytic|, |numeric|)</c> for every checked coordinate. A coordinate that
/// fails is re-measured with step h/2: if the two difference quotients disagree with each other as well, a kink (ReLU,
/// max) lies within h and the coordinate counts as non-smooth instead; at most <c>maxNonSmoothFraction</c> of the
/// checked coordinates may be non-smooth (0 by default: every coordinate must match).</remarks>
public static class GradCheck
{
    /// <summary>Throws <see cref="GradientMismatchException"/> at the first coordinate whose gradients disagree.</summary>
    /// <param name="f">The function; it must build its graph from <paramref name="inputs"/> on every call.</param>
    /// <param name="inputs">The inputs; those with <see cref="Tensor.RequiresGrad"/> are checked (their Grad is reset).</param>
    /// <param name="eps">Step h of the central difference.</param>
    /// <param name="rtol">Relative tolerance.</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="coords">Coordinates checked per input (all when the input is smaller).</param>
    /// <param name="seed">Seed of the coordinate choice and of the cotangent.</param>
    /// <param name="maxNonSmoothFraction">Fraction of checked coordinates allowed to sit within h of a kink.</param>
    /// <exception cref="ArgumentException">No input requires a gradient, or a tolerance is not positive.</exception>
    public static void AssertClose(Func<Tensor[], Tensor> f, Tensor[] inputs, double eps = 1e-3, double rtol = 1e-2,
        double atol = 1e-3, int coords = 40, int seed = 0, double maxNonSmoothFraction = 0)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(eps);
        ArgumentOutOfRangeException.ThrowIfNegative(rtol);
        ArgumentOutOfRangeException.ThrowIfNegative(atol);
        if (!inputs.Any(t => t.RequiresGrad))
            throw new ArgumentException($"GradCheck: none of the {inputs.Length} inputs requires a gradient.", nameof(inputs));
        var random = new Random(seed);
        foreach (var t in inputs) t.ZeroGrad();
        var y = f(inputs);
        var v = new float[y.Length];
        if (y.Length == 1) v[0] = 1f;
        else for (int i = 0; i < v.Length; i++) v[i] = (float)random.NextGaussian();
        y.Backward(v);
        int checkedCount = 0, nonSmooth = 0;
        for (int index = 0; index < inputs.Length; index++)
        {
            var x = inputs[index];
            if (!x.RequiresGrad) continue;
            var analytic = x.Grad is null ? new float[x.Length] : (float[])x.Grad.Clone();
            foreach (int j in Coordinates(x.Length, coords, random))
            {
                checkedCount++;
                double numeric = Numeric(f, inputs, x, j, eps, v);
                double a = analytic[j];
                if (Close(a, numeric, rtol, atol)) continue;
                var smaller = new[] { 2, 4, 8 }.Select(d => Numeric(f, inputs, x, j, eps / d, v)).ToArray();
                if (smaller.Any(q => Close(a, q, rtol, atol))) continue;
                bool smooth = smaller.All(q => Close(numeric, q, rtol, atol));
                if (!smooth && ++nonSmooth <= maxNonSmoothFraction * checkedCount) continue;
                double half = smaller[0];
                throw new GradientMismatchException(
                        $"GradCheck: input {index} {Tensor.Format(x.Shape)}, coordinate {j} (flat; value {x.Data[j]}): analytic {a:G6}, " +
                        $"numeric {numeric:G6} (step {eps}; {half:G6} with step {eps / 2}; {(smooth ? "smooth" : "non-smooth")}), |difference| {Math.Abs(a - numeric):G3} > atol {atol} + " +
                    $"rtol {rtol}·max(|a|, |n|){(nonSmooth > 0 ? $"; {nonSmooth} of {checkedCount} coordinates so far were non-smooth" : "")}.");
            }
        }
    }

    private static bool Close(double a, double b, double rtol, double atol) => Math.Abs(a - b) <= atol + rtol * Math.Max(Math.Abs(a), Math.Abs(b));

    private static double Numeric(Func<Tensor[], Tensor> f, Tensor[] inputs, Tensor x, int j, double eps, float[] v)
    {
        float original = x.Data[j];
        float plus = (float)(original + eps), minus = (float)(original - eps);
        try
        {
            x.Data[j] = plus;
            double lPlus = Evaluate(f, inputs, v);
            x.Data[j] = minus;
            double lMinus = Evaluate(f, inputs, v);
            return (lPlus - lMinus) / ((double)plus - minus);
        }
        finally { x.Data[j] = original; }
    }

    private static double Evaluate(Func<Tensor[], Tensor> f, Tensor[] inputs, float[] v)
    {
        using var scope = new NoGrad();
        var y = f(inputs);
        double s = 0;
        for (int i = 0; i < v.Length; i++) s += (double)v[i] * y.Data[i];
        return s;
    }

    private static IEnumerable<int> Coordinates(int length, int coords, Random random)
    {
        if (length <= coords) return Enumerable.Range(0, length);
        var chosen = new SortedSet<int>();
        while (chosen.Count < coords) chosen.Add(random.Next(length));
        return chosen;
    }
}

/// <summary>An analytic gradient disagrees with central differences (see <see cref="GradCheck"/>).</summary>
public sealed class GradientMismatchException : Exception
{
    /// <summary>Creates the exception with a message naming the input, the coordinate and both values.</summary>
    public GradientMismatchException(string message) : base(message) { }
}
