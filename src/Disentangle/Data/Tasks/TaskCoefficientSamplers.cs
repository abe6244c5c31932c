namespace Disentangle.Data.Tasks;

/// <summary>Builds coefficient samplers from the reference names: <c>binomial_gauss[_p]</c>, <c>fix_size_support_s</c>,
/// <c>block_support_b</c>, <c>laplace</c>, <c>gauss</c>, <c>finite_intra_support_n</c>.</summary>
public static class TaskCoefficientSamplers
{
    private static readonly NamedChoices<ITaskCoefficientSampler> s_choices = new("task coefficient sampler",
        new("binomial_gauss", "binomial_gauss or binomial_gauss_p (p in (0, 1], default 0.5)", NamedChoices<ITaskCoefficientSampler>.Suffix.Optional,
            p => new BinomialGauss(p ?? 0.5)),
        new("fix_size_support", "fix_size_support_s (s ≥ 1 features)", NamedChoices<ITaskCoefficientSampler>.Suffix.Required,
            s => new FixedSizeSupport(WholeNumber(s!.Value, "fix_size_support"))),
        new("block_support", "block_support_b (b ≥ 1, e.g. 2, 3, 6)", NamedChoices<ITaskCoefficientSampler>.Suffix.Required,
            b => new BlockSupport(WholeNumber(b!.Value, "block_support"))),
        new("laplace", "laplace", NamedChoices<ITaskCoefficientSampler>.Suffix.None, _ => new LaplaceCoefficients()),
        new("gauss", "gauss", NamedChoices<ITaskCoefficientSampler>.Suffix.None, _ => new GaussCoefficients()),
        new("finite_intra_support", "finite_intra_support_n (n ≥ 1 coefficient vectors)", NamedChoices<ITaskCoefficientSampler>.Suffix.Required,
            n => new FiniteIntraSupport(WholeNumber(n!.Value, "finite_intra_support"))));

    /// <summary>The valid name forms, for help texts.</summary>
    public static string Usage => s_choices.Usage;

    /// <summary>Parses a reference name into a sampler.</summary>
    /// <exception cref="ArgumentException">Unknown name or malformed number (the message lists the valid forms).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter outside its range (p outside (0, 1], size &lt; 1).</exception>
    public static ITaskCoefficientSampler Parse(string name) => s_choices.Parse(name, nameof(name));

    private static int WholeNumber(double value, string prefix) =>
        value == Math.Floor(value) && value is >= 1 and <= int.MaxValue ? (int)value
        : throw new ArgumentOutOfRangeException(nameof(value), value, $"{prefix}_N needs a whole number N ≥ 1; got {value}.");
}
