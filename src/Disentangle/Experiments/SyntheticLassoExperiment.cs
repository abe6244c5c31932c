using System.Globalization;
using System.Text;
using Disentangle.Io;
using Disentangle.Plots;
using Disentangle.Solvers;
using Disentangle.Tensors;

namespace Disentangle.Experiments;

/// <summary>A representation of the latents: the latents themselves, or a random rotation of them.</summary>
public enum Representation
{
    /// <summary>f̂(x) = z.</summary>
    Disentangled,
    /// <summary>f̂(x) = Q z with Q random orthogonal (same conditioning as z).</summary>
    Entangled,
}

/// <summary>The linear model fitted on the frozen representation.</summary>
public enum Regression
{
    /// <summary>ℓ1-penalised least squares.</summary>
    Lasso,
    /// <summary>ℓ2-penalised least squares.</summary>
    Ridge,
}

/// <summary>Test R² of one fit.</summary>
public sealed record SyntheticScore(double SupportFraction, int TrainSize, Representation Representation, Regression Regression, int SeedIndex, double TestR2, double Lambda);

/// <summary>Mean ± standard error over seeds of one curve point of Figure 1.</summary>
public sealed record SyntheticSummary(double SupportFraction, int TrainSize, Representation Representation, Regression Regression, double MeanR2, double StandardError, int Seeds);

/// <summary>All scores and their summaries.</summary>
public sealed record SyntheticResult(IReadOnlyList<SyntheticScore> Scores, IReadOnlyList<SyntheticSummary> Summaries);

/// <summary>Figure 1 of the paper: Lasso and Ridge on disentangled (z) versus linearly entangled (Qz) frozen features.</summary>
/// <remarks>For each seed and sparsity ℓ/m: w ~ N(0, I) with all but round(ℓ) entries zeroed, Q random orthogonal, a test set
/// of fresh samples; for each n: z ~ N(0, I_m), y = wᵀz + ε, λ chosen by K-fold cross-validation on the training set over a
/// warm-started path, refit on the whole training set, test R². No intercept (the data are centred by construction).</remarks>
public sealed class SyntheticLassoExperiment
{
    private readonly SyntheticOptions _options;

    /// <summary>Creates the experiment; validates the options and that <see cref="SyntheticOptions.Out"/> holds no results
    /// (unless <paramref name="overwrite"/>), before anything runs.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">The output folder already holds results and <paramref name="overwrite"/> is false.</exception>
    public SyntheticLassoExperiment(SyntheticOptions options, bool overwrite = false)
    {
        options.Validate();
        _options = options;
        if (!overwrite && File.Exists(Path.Combine(options.Out, "summary.csv")))
            throw new InvalidOperationException($"'{Path.GetFullPath(options.Out)}' already holds Figure 1 results; pass --force to overwrite them or choose another --out.");
    }

    /// <summary>Runs every (seed, sparsity, n) cell in parallel; deterministic for a given seed whatever the thread count.</summary>
    /// <param name="progress">Receives the number of finished cells.</param>
    public SyntheticResult Run(IProgress<int>? progress = null)
    {
        var o = _options;
        var cells = (from s in Enumerable.Range(0, o.Seeds)
                     from f in Enumerable.Range(0, o.Fractions.Length)
                     from n in Enumerable.Range(0, o.Sizes.Length)
                     select (s, f, n)).ToArray();
        var scores = new SyntheticScore[cells.Length][];
        int done = 0;
        Parallel.For(0, cells.Length, Parallelism.Options, i =>
        {
            scores[i] = RunCell(cells[i].s, cells[i].f, cells[i].n);
            progress?.Report(Interlocked.Increment(ref done));
        });
        var flat = scores.SelectMany(s => s).ToArray();
        return new SyntheticResult(flat, Summarise(flat));
    }

    private SyntheticScore[] RunCell(int seedIndex, int fractionIndex, int sizeIndex)
    {
        var o = _options;
        int m = o.Features, n = o.Sizes[sizeIndex];
        double fraction = o.Fractions[fractionIndex];
        var problemRandom = new SeededRandom(o.Seed).Fork(seedIndex).Fork(fractionIndex);
        var (w, q, zTest, yTest) = DrawProblem(problemRandom, m, fraction);
        var trainRandom = problemRandom.Fork(1000 + sizeIndex);
        var zTrain = Matrix.RandomNormal(n, m, trainRandom);
        var yTrain = Labels(zTrain, w, trainRandom);

        var scores = new List<SyntheticScore>();
        foreach (var representation in Enum.GetValues<Representation>())
        {
            var xTrain = representation == Representation.Disentangled ? zTrain : Matrix.Multiply(zTrain, q, transposeB: true);
            var xTest = representation == Representation.Disentangled ? zTest : Matrix.Multiply(zTest, q, transposeB: true);
            foreach (var regression in Enum.GetValues<Regression>())
            {
                var (solver, path) = Fitting(regression, xTrain, yTrain);
                var cv = CrossValidation.SelectLambda(solver, xTrain, yTrain, path, o.Folds, fitIntercept: true,
                    summedLoss: regression == Regression.Ridge);
                var fit = CrossValidation.Fit(solver, xTrain, yTrain, cv.BestLambda, fitIntercept: true);
                scores.Add(new SyntheticScore(fraction, n, representation, regression, seedIndex,
                    CrossValidation.RSquared(fit.Predict(xTest), yTest), cv.BestLambda));
            }
        }
        return [.. scores];
    }

    private (Matrix W, Matrix Q, Matrix ZTest, Matrix YTest) DrawProblem(Random random, int m, double fraction)
    {
        int active = Math.Max(1, (int)Math.Round(fraction * m));
        var w = new Matrix(m, 1);
        var order = Enumerable.Range(0, m).ToArray();
        random.Shuffle(order);
        foreach (int j in order.Take(active)) w[j, 0] = random.NextGaussian();
        var q = LinearAlgebra.RandomOrthogonal(m, random);
        var zTest = Matrix.RandomNormal(_options.TestSize, m, random);
        return (w, q, zTest, Labels(zTest, w, random));
    }

    private Matrix Labels(Matrix z, Matrix w, Random random)
    {
        var y = Matrix.Multiply(z, w);
        for (int i = 0; i < y.Rows; i++) y.Data[i] += _options.NoiseStd * random.NextGaussian();
        return y;
    }

    /// <summary>The solver and its λ path, both computed on the centred training set (the intercept is fitted).</summary>
    private (IInnerSolver Solver, double[] Path) Fitting(Regression regression, Matrix x, Matrix y)
    {
        var (xc, yc) = (x.Clone(), y.Clone());
        CrossValidation.CenterColumns(xc);
        CrossValidation.CenterColumns(yc);
        return regression switch
        {
            // sklearn LassoCV's defaults: n_alphas = 100 from λ_max (of the centred data) down to eps·λ_max, eps = 1e-3.
            Regression.Lasso => (new LassoSolver(new L1(), new CdOptions(Tolerance: 1e-8)),
                CrossValidation.GeometricPath(new L1().LambdaMax(xc, yc), 1e-3, _options.PathLength)),
            // Ridge (λ/2)‖w‖² (sklearn's α = nλ, held fixed across folds as RidgeCV does): 100 values from 10·‖X_c‖²_F/n down to 1e-5 of it. RidgeCV's default is
            // alphas = (0.1, 1, 10) scored by leave-one-out; three values are too coarse here, so Ridge uses the same
            // 5-fold procedure and path length as the Lasso (RidgeCV(alphas=nλ, cv=KFold(5), scoring="neg_mean_squared_error")).
            _ => (new RidgeSolver(maxDegreeOfParallelism: 1),
                CrossValidation.GeometricPath(10 * Lambda.RidgeFromRatio(xc, 1), 1e-6, _options.PathLength)),
        };
    }

    private static SyntheticSummary[] Summarise(IEnumerable<SyntheticScore> scores) =>
        scores.GroupBy(s => (s.SupportFraction, s.TrainSize, s.Representation, s.Regression))
              .OrderBy(g => g.Key.SupportFraction).ThenBy(g => g.Key.Representation).ThenBy(g => g.Key.Regression).ThenBy(g => g.Key.TrainSize)
              .Select(g =>
              {
                  var r2 = g.Select(s => s.TestR2).ToArray();
                  var (mean, se) = SampleStatistics.MeanAndStandardError(r2);
                  return new SyntheticSummary(g.Key.SupportFraction, g.Key.TrainSize, g.Key.Representation, g.Key.Regression, mean, se, r2.Length);
              }).ToArray();

    /// <summary>Writes <c>config.json</c>, <c>scores.csv</c> (every fit), <c>summary.csv</c>, <c>summary.json</c> and
    /// <c>figure1.png</c> (one panel per sparsity level, mean ± standard error) into <see cref="SyntheticOptions.Out"/>.</summary>
    /// <returns>The paths written.</returns>
    public IReadOnlyList<string> Write(SyntheticResult result)
    {
        var folder = Directory.CreateDirectory(_options.Out).FullName;
        var paths = new List<string>();
        string Save(string name, string content) { var p = Path.Combine(folder, name); AtomicFile.WriteText(p, content); paths.Add(p); return p; }
        ConfigFile.Save(Path.Combine(folder, "config.json"), _options);
        paths.Add(Path.Combine(folder, "config.json"));
        var inv = CultureInfo.InvariantCulture;
        var scores = new StringBuilder("support_fraction,train_size,representation,regression,seed,test_r2,lambda\n");
        foreach (var s in result.Scores)
            scores.AppendLine(string.Create(inv, $"{s.SupportFraction:R},{s.TrainSize},{s.Representation},{s.Regression},{s.SeedIndex},{s.TestR2:R},{s.Lambda:R}"));
        Save("scores.csv", scores.ToString());
        var summary = new StringBuilder("support_fraction,train_size,representation,regression,mean_r2,standard_error,seeds\n");
        foreach (var s in result.Summaries)
            summary.AppendLine(string.Create(inv, $"{s.SupportFraction:R},{s.TrainSize},{s.Representation},{s.Regression},{s.MeanR2:R},{s.StandardError:R},{s.Seeds}"));
        Save("summary.csv", summary.ToString());
        Save("summary.json", System.Text.Json.JsonSerializer.Serialize(result.Summaries, JsonFiles.Options) + "\n");

        var panels = _options.Fractions.Select(f => new Panel(
            $"ℓ/m = {f * 100:0.#}%", "training samples n", "test R²",
            (from rep in Enum.GetValues<Representation>()
             from reg in Enum.GetValues<Regression>()
             let points = result.Summaries.Where(s => s.SupportFraction == f && s.Representation == rep && s.Regression == reg).OrderBy(s => s.TrainSize).ToArray()
             select new Series($"{rep}-{reg}", points.Select(p => (double)p.TrainSize).ToArray(),
                 points.Select(p => p.MeanR2).ToArray(), points.Select(p => p.StandardError).ToArray())).ToArray())).ToArray();
        var figure = Path.Combine(folder, "figure1" + FigureFile.Extension(_options.Format));
        LinePanels.Save(figure, panels, caption: $"mean ± s.e. over {_options.Seeds} seeds");
        paths.Add(figure);
        return paths;
    }
}
