namespace Disentangle.Experiments;

/// <summary>Options of the Figure 1 experiment (method.md §1, paper Appendix D.1).</summary>
/// <param name="Features">m: latent dimension (the reference's logs fix m = 100).</param>
/// <param name="SupportFractions">ℓ/m: fractions of non-zero ground-truth coefficients, one panel each.</param>
/// <param name="TrainSizes">Training-set sizes n.</param>
/// <param name="TestSize">Fresh test samples for the R² score.</param>
/// <param name="Seeds">Independent repetitions (w, Q and the data are redrawn for each).</param>
/// <param name="Folds">Cross-validation folds used to pick λ on the training set (scikit-learn's LassoCV / RidgeCV
/// procedure with an intercept; see <see cref="CrossValidation"/>).</param>
/// <param name="PathLength">Number of λ values on each cross-validation path (100, LassoCV's n_alphas).</param>
/// <param name="NoiseStd">Standard deviation of the label noise ε (the paper's value was lost from the text; 1 by default,
/// so the best achievable R² at ℓ/m = 5% is about ‖w‖²/(‖w‖² + 1) ≈ 0.83).</param>
/// <param name="Seed">Seed of every random draw.</param>
/// <param name="Out">Folder the result files are written to.</param>
/// <param name="Format">Format of the figure (PNG, SVG, PDF).</param>
public sealed record SyntheticOptions(
    int Features = 100,
    double[]? SupportFractions = null,
    int[]? TrainSizes = null,
    int TestSize = 1000,
    int Seeds = 10,
    int Folds = 5,
    int PathLength = 100,
    double NoiseStd = 1.0,
    long Seed = 0,
    string Out = "runs/synthetic",
    Plots.FigureFormat Format = Plots.FigureFormat.Png)
{
    /// <summary>The fractions used: <see cref="SupportFractions"/> or the paper's {5%, 20%, 80%}.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double[] Fractions => SupportFractions ?? [0.05, 0.2, 0.8];

    /// <summary>The sizes used: <see cref="TrainSizes"/> or the paper's {25, 50, …, 150}.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int[] Sizes => TrainSizes ?? [25, 50, 75, 100, 125, 150];

    /// <summary>Throws when an option is out of range, naming it and its value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Features, 1, nameof(Features));
        ArgumentOutOfRangeException.ThrowIfLessThan(TestSize, 2, nameof(TestSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Seeds, 1, nameof(Seeds));
        ArgumentOutOfRangeException.ThrowIfLessThan(Folds, 2, nameof(Folds));
        ArgumentOutOfRangeException.ThrowIfLessThan(PathLength, 1, nameof(PathLength));
        if (!(NoiseStd >= 0) || !double.IsFinite(NoiseStd))
            throw new ArgumentOutOfRangeException(nameof(NoiseStd), NoiseStd, "The label noise must be finite and ≥ 0.");
        foreach (double f in Fractions)
            if (!(f > 0 && f <= 1))
                throw new ArgumentOutOfRangeException(nameof(SupportFractions), f, "Support fractions must lie in (0, 1].");
        foreach (int n in Sizes)
            if (n < Folds)
                throw new ArgumentOutOfRangeException(nameof(TrainSizes), n, $"Every training size must be ≥ the {Folds} folds.");
        // each parallel cell holds the m×m mixing matrix and its train, test and mixed data in float64
        double perCell = 8.0 * Features * ((double)Features + 3.0 * (TestSize + Sizes.Max()));
        MemoryBudget.Ensure(perCell * Environment.ProcessorCount, nameof(Features), Features, "the mixing matrix and data of each parallel cell");
    }
}
