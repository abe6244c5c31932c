using Disentangle.Data;
using Disentangle.Data.Latents;
using Disentangle.Data.Rendering;
using Disentangle.Io;
using Disentangle.Metrics;
using Disentangle.Runs;
using Disentangle.Training;

namespace Disentangle.Tests.Runs;

public sealed class FullGridEvaluationTests
{
    // 8·2·4·2·4·3 = 1,536 grid points: more than three chunks of StreamedEncoding.ChunkRows.
    private static readonly ShapesFactors Grid = new([
        [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], [0.3, 0.6], [0.0, 0.2, 0.4, 0.6], [0.75, 1.25], [0.0, 1, 2, 3], [-30.0, 0, 30]]);

    private static string TrainSmallRun()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"disentangle-full-grid-{Guid.NewGuid():N}");
        var options = new TrainOptions(Steps: 4, Tasks: 4, InnerShots: 20, OuterShots: 0, Inputs: InputKind.Linear, Latents: "uniform",
            EvalEvery: 4, EvalSamples: 100, ValidationTasks: 3, LogEvery: 4, Seed: 2, Out: folder);
        new TrainingRun(options, source: new RenderedShapes(Grid)).Train();
        return folder;
    }

    [Fact]
    public void The_full_grid_scores_every_grid_point_once_in_chunks_with_progress_and_says_so_in_its_own_eval_file()
    {
        string folder = TrainSmallRun();
        var evaluation = new RunEvaluation(folder, new EvaluateOptions(FullGrid: true, Ica: false), new RenderedShapes(Grid));
        Assert.Equal(Grid.Count, evaluation.PlannedSamples);
        var seen = new List<int>();
        var report = evaluation.Run(new SynchronousProgress(seen.Add))[0];
        Assert.Equal("full-grid", report.Evaluation);
        Assert.Null(report.IcaSamples);
        Assert.Equal("best-full-grid-uniform", report.Name);
        Assert.Equal(Grid.Count, report.Samples);
        Assert.Equal(Grid.Count, seen[^1]);
        Assert.True(seen.Count >= 4);

        // The chunked features are those of one pass over the whole grid, and the scores those of the whole matrices.
        var latents = Npy.Read(Path.Combine(folder, "latents-best-full-grid-uniform.npy")).As<double>();
        var features = Npy.Read(Path.Combine(folder, "features-best-full-grid-uniform.npy")).As<double>();
        Assert.Equal(Grid.Count * 6, latents.Length);
        var noise = new LatentNoise(Grid, 1.0, 0);
        var z = new double[6];
        noise.StandardisedValues(Grid.Count - 1, z);
        Assert.Equal(z, latents.AsSpan(latents.Length - 6).ToArray());
        var scores = DisentanglementScores.Compute(new Disentangle.Tensors.Matrix(Grid.Count, 6, latents),
            new Disentangle.Tensors.Matrix(Grid.Count, features.Length / Grid.Count, features));
        Assert.Equal(scores.Mcc, report.Scores.Mcc, 1e-12);
        Assert.Equal("full-grid", JsonFiles.Read<EvaluationResult>(Path.Combine(folder, "eval-best-full-grid-uniform.json")).Evaluation);
        // A sampled evaluation of the same checkpoint keeps its own files.
        new RunEvaluation(folder, new EvaluateOptions(Samples: 100, Ica: false), new RenderedShapes(Grid)).Run();
        Assert.Equal(Grid.Count, JsonFiles.Read<EvaluationResult>(Path.Combine(folder, "eval-best-full-grid-uniform.json")).Samples);
        Assert.Equal(100, JsonFiles.Read<EvaluationResult>(Path.Combine(folder, "eval-best-uniform.json")).Samples);
    }

    [Fact]
    public void With_ica_the_full_grid_fits_fastica_on_a_million_training_samples_looked_up_among_the_encoded_grid_points()
    {
        Assert.Equal(1_000_000, new EvaluateOptions(FullGrid: true).EffectiveIcaSamples);
        Assert.Equal(20_000, new EvaluateOptions().EffectiveIcaSamples);
        string folder = TrainSmallRun();
        var options = new EvaluateOptions(FullGrid: true, Ica: true);
        var evaluation = new RunEvaluation(folder, options, new RenderedShapes(Grid));
        Assert.Equal(Grid.Count, evaluation.PlannedSamples);   // each grid point is encoded once
        var seen = new List<int>();
        var result = evaluation.Run(new SynchronousProgress(seen.Add))[0];
        Assert.Equal(Grid.Count, seen[^1]);
        Assert.Equal(1_000_000, result.IcaSamples);

        // FastICA was fitted on the million training-distribution samples' features: their mean is that of the same draws
        // encoded one chunk after another, within the float32 rounding of the features (a point's features can differ in
        // their last bits with its row in a chunk: GEMM edge tiles). Rows looked up wrongly would move it by about 1e-3.
        // (The unmixing itself is not compared: FastICA's rotation on a 4-step run's near-Gaussian features turns with
        // such last bits.)
        var root = new Disentangle.Tensors.SeededRandom(options.Seed);
        var indices = new int[1_000_000];
        LatentDistributions.Parse(evaluation.TrainOptions.Latents, Grid).Sample(root.Fork(1), indices);
        var noise = new LatentNoise(Grid, evaluation.TrainOptions.LatentNoise, 0);
        var features = StreamedEncoding.Encode(indices, noise, evaluation.Data.Inputs, evaluation.Encoder).Features;
        var written = JsonFiles.Read<Disentangle.Ica.FastIcaUnmixing>(Path.Combine(folder, $"unmixing-{result.Name}.json"));
        for (int j = 0; j < features.Columns; j++)
        {
            double mean = features.Column(j).Average();
            Assert.Equal(mean, written.Mean[j], 1e-8 * Math.Max(1, Math.Abs(mean)));
        }
    }

    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
