using Disentangle.Data.Latents;
using Disentangle.Data;
using Disentangle.Plots;
using Disentangle.Runs;
using Disentangle.Training;

namespace Disentangle.Tests.Runs;

public sealed class LatentTraversalTests
{
    [Fact]
    public void The_reference_anchor_snaps_to_its_grid_points()
    {
        Assert.Equal([1, 6, 9, 4, 0, 2], LatentTraversal.Snap(ShapesFactors.Shapes3D, TraversalOptions.ReferenceAnchor));
        Assert.Throws<ArgumentException>(() => LatentTraversal.Snap(ShapesFactors.Shapes3D, [0.1, 0.2]));
    }

    [Fact]
    public void Traversals_of_an_evaluated_run_are_drawn_and_an_unevaluated_run_is_refused()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"disentangle-traversal-{Guid.NewGuid():N}");
        new TrainingRun(new TrainOptions(Steps: 2, Inputs: InputKind.Linear, EvalEvery: 2, EvalSamples: 200, ValidationTasks: 4, Out: folder)).Train();
        var e = Assert.Throws<InvalidDataException>(() => LatentTraversal.Write(folder, new TraversalOptions()));
        Assert.Contains("evaluate", e.Message);
        new RunEvaluation(folder, new EvaluateOptions(Samples: 200)).Run();
        var paths = LatentTraversal.Write(folder, new TraversalOptions());
        Assert.Equal(["traversal-matched-best.png", "traversal-images.png"], paths.Select(Path.GetFileName));
        Assert.All(paths, p => Assert.True(new FileInfo(p).Length > 1000, p));
        Assert.Contains("--checkpoint last", Assert.Throws<InvalidDataException>(() => LatentTraversal.Write(folder,
            new TraversalOptions(Evaluation: new EvaluateOptions(Checkpoint: CheckpointChoice.Last)))).Message);
        Directory.Delete(folder, true);
    }

    [Fact]
    public void A_run_kept_without_its_checkpoints_has_its_traversals_redrawn_from_the_recorded_numbers()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"disentangle-traversal-{Guid.NewGuid():N}");
        new TrainingRun(new TrainOptions(Steps: 2, Inputs: InputKind.Linear, EvalEvery: 2, EvalSamples: 200, ValidationTasks: 4, Out: folder)).Train();
        new RunEvaluation(folder, new EvaluateOptions(Checkpoint: CheckpointChoice.Last, Samples: 200)).Run();
        new RunEvaluation(folder, new EvaluateOptions(Samples: 200)).Run();
        var recorded = TraversalTable.Read(Path.Combine(folder, "traversals-best.csv"));
        Assert.Equal(ShapesFactors.Names, recorded.Factors.Select(f => f.Name));
        Assert.Equal(ShapesFactors.Shapes3D.Sizes, recorded.Factors.Select(f => f.X.Length));
        Assert.All(recorded.Factors, f => Assert.Equal(6, f.Features.Columns));
        foreach (var checkpoint in new[] { "checkpoint.safetensors", "best.safetensors" }) File.Delete(Path.Combine(folder, checkpoint));
        File.Delete(Path.Combine(folder, "traversals-best.png"));
        Assert.True(new RunFolder(folder).IsKept);

        var paths = LatentTraversal.Write(folder, new TraversalOptions());
        Assert.Equal(["traversals-best.png"], paths.Select(Path.GetFileName));
        Assert.True(new FileInfo(paths[0]).Length > 1000);
        var again = TraversalTable.Read(Path.Combine(folder, "traversals-best.csv"));
        Assert.Equal(recorded.Factors.Select(f => f.Features.Data), again.Factors.Select(f => f.Features.Data));   // the numbers round-trip
        Assert.Contains("checkpoint", Assert.Throws<InvalidOperationException>(() =>
            LatentTraversal.Write(folder, new TraversalOptions(Anchor: TraversalOptions.ReferenceAnchor))).Message);
        File.Delete(Path.Combine(folder, "traversals-best.csv"));
        Assert.Contains("recorded no traversal numbers", Assert.Throws<InvalidDataException>(() => LatentTraversal.Write(folder, new TraversalOptions())).Message);
        Directory.Delete(folder, true);
    }

    [Fact]
    public void Pair_plot_samples_carry_the_distributions_correlation()
    {
        double Correlation(double[] v, int a, int b)
        {
            int n = v.Length / 6;
            double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
            for (int i = 0; i < n; i++) { ma += v[i * 6 + a] / n; mb += v[i * 6 + b] / n; }
            for (int i = 0; i < n; i++)
            {
                double da = v[i * 6 + a] - ma, db = v[i * 6 + b] - mb;
                sab += da * db; saa += da * da; sbb += db * db;
            }
            return sab / Math.Sqrt(saa * sbb);
        }
        var correlated = new LatentPairPlotOptions("harder_gauss_0.9", 1, 3000).Draw();
        var uniform = new LatentPairPlotOptions("uniform", 1, 3000).Draw();
        Assert.Equal(3000 * 6, correlated.Length);
        Assert.InRange(Correlation(correlated, 0, 1), 0.6, 0.95);
        Assert.InRange(Correlation(uniform, 0, 1), -0.1, 0.1);
        foreach (var (extension, header) in new[] { (".png", "PNG"), (".svg", "<svg"), (".pdf", "%PDF") })
        {
            var path = Path.Combine(Path.GetTempPath(), $"pairplot-{Guid.NewGuid():N}{extension}");
            PairPlot.Save(path, correlated, ShapesFactors.Names, "test");
            Assert.True(new FileInfo(path).Length > 10_000, extension);
            Assert.Contains(header, System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path).AsSpan(0, 64)));
            File.Delete(path);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new LatentPairPlotOptions(Samples: 0).Draw());
    }
}
