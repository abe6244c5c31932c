namespace Disentangle.Data.Tasks;

/// <summary>What <see cref="SupportVariability"/> found for a set of supports 𝒮.</summary>
/// <param name="Holds">True when <c>⋂{S ∈ 𝒮 : j ∈ S} = {j}</c> for every feature j (Assumption 3.6).</param>
/// <param name="FailingFeatures">Features for which it fails, ascending (including features no support contains).</param>
/// <param name="Intersections">For each feature j, <c>⋂{S ∈ 𝒮 : j ∈ S}</c> as ascending feature lists (all features when
/// no support contains j: the empty intersection).</param>
/// <param name="DistinctSupports">Number of distinct supports examined.</param>
public sealed record SupportVariabilityReport(bool Holds, int[] FailingFeatures, int[][] Intersections, int DistinctSupports)
{
    /// <summary>One line for a user: whether Assumption 3.6 holds and, if not, which features fail and why.</summary>
    /// <param name="what">What the supports come from (e.g. the task sampler's name).</param>
    public string Describe(string what) => Holds
        ? $"Assumption 3.6 (sufficient support variability) holds for {what} ({DistinctSupports} distinct supports)."
        : $"Assumption 3.6 (sufficient support variability) does NOT hold for {what} ({DistinctSupports} distinct supports): features "
          + string.Join(", ", FailingFeatures) + " fail ("
          + string.Join("; ", FailingFeatures.Select(j => $"⋂ of the supports with {j} = {{{string.Join(", ", Intersections[j])}}}")) + ").";
}

/// <summary>Checks Assumption 3.6 (sufficient support variability, method.md §2) for given supports or a coefficient sampler.</summary>
/// <remarks>For every feature j, the supports that contain j must intersect in {j} alone; e.g. block supports of size ≥ 2
/// fail (every feature is always used with its block), Bernoulli(0.5) supports on 6 features pass once enough tasks are
/// drawn. Supports are bitsets, so any feature count works.</remarks>
public static class SupportVariability
{
    /// <summary>Checks a given set of supports over <paramref name="features"/> features.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A support holds a feature outside [0, features).</exception>
    public static SupportVariabilityReport Check(IEnumerable<IReadOnlyCollection<int>> supports, int features)
    {
        ArgumentNullException.ThrowIfNull(supports);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        var sets = new List<ulong[]>();
        foreach (var support in supports)
        {
            var bits = new ulong[Words(features)];
            foreach (int j in support)
            {
                if ((uint)j >= (uint)features)
                    throw new ArgumentOutOfRangeException(nameof(supports), j, $"Support feature {j} is outside [0, {features}).");
                bits[j >> 6] |= 1UL << (j & 63);
            }
            sets.Add(bits);
        }
        return Check(sets, features);
    }

    /// <summary>Estimates 𝒮 by drawing <paramref name="tasks"/> tasks from <paramref name="sampler"/>, then checks it.</summary>
    /// <remarks>A sampled 𝒮 can only miss supports, so "fails" may be a sampling artefact for rare supports; with Bernoulli(0.5)
    /// on 6 features, 2,000 tasks see all 63 supports with overwhelming probability.</remarks>
    public static SupportVariabilityReport Check(ITaskCoefficientSampler sampler, int features, int outputs, int tasks, Random random)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentOutOfRangeException.ThrowIfLessThan(tasks, 1);
        var w = new double[features * outputs];
        var sets = new List<ulong[]>();
        for (int t = 0; t < tasks; t++)
        {
            sampler.Sample(random, features, outputs, w);
            var bits = new ulong[Words(features)];
            for (int j = 0; j < features; j++)
                for (int c = 0; c < outputs; c++)
                    if (w[j * outputs + c] != 0) bits[j >> 6] |= 1UL << (j & 63);
            sets.Add(bits);
        }
        return Check(sets, features);
    }

    /// <summary>Checks the supports a training run's task sampler draws over the d true factors (2,000 tasks, fixed seed),
    /// as <c>disentangle train</c> prints it.</summary>
    /// <param name="coefficients">The sampler's name (<c>binomial_gauss</c>, <c>block_support_2</c>, <c>laplace</c>, …).</param>
    /// <param name="outputs">Outputs per task.</param>
    /// <param name="factors">The data's factor count d (6 for 3D Shapes).</param>
    public static SupportVariabilityReport CheckTaskSampler(string coefficients, int outputs, int factors = ShapesFactors.FactorCount) =>
        Check(TaskCoefficientSamplers.Parse(coefficients), factors, outputs, 2_000, new Random(0));

    /// <summary>The support (rows not all zero) of a <c>features × outputs</c> row-major coefficient matrix.</summary>
    public static int[] Support(ReadOnlySpan<double> coefficients, int features, int outputs)
    {
        var support = new List<int>();
        for (int j = 0; j < features; j++)
            for (int c = 0; c < outputs; c++)
                if (coefficients[j * outputs + c] != 0) { support.Add(j); break; }
        return [.. support];
    }

    private static SupportVariabilityReport Check(List<ulong[]> sets, int features)
    {
        var distinct = sets.DistinctBy(s => string.Join(",", s)).ToList();
        int words = Words(features);
        var intersections = new int[features][];
        var failing = new List<int>();
        for (int j = 0; j < features; j++)
        {
            var meet = new ulong[words];
            for (int w = 0; w < words; w++) meet[w] = w < words - 1 || features % 64 == 0 ? ulong.MaxValue : (1UL << (features % 64)) - 1;
            foreach (var s in distinct)
                if ((s[j >> 6] & (1UL << (j & 63))) != 0)
                    for (int w = 0; w < words; w++) meet[w] &= s[w];
            intersections[j] = [.. Enumerable.Range(0, features).Where(i => (meet[i >> 6] & (1UL << (i & 63))) != 0)];
            if (intersections[j].Length != 1 || intersections[j][0] != j) failing.Add(j);
        }
        return new SupportVariabilityReport(failing.Count == 0, [.. failing], intersections, distinct.Count);
    }

    private static int Words(int features) => (features + 63) / 64;
}
