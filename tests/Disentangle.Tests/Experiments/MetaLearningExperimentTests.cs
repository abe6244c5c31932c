using Disentangle.Experiments;
using Disentangle.FewShot;
using Disentangle.Io;
using Disentangle.Nn;
using Disentangle.Runs;
using Disentangle.Tensors;

namespace Disentangle.Tests.Experiments;

public sealed class MetaLearningExperimentTests
{
    /// <summary>16×16 grey images whose class is a bright square at a class-specific place, plus noise.</summary>
    private static InMemoryFewShotDataset Squares(int seed)
    {
        var random = new Random(seed);
        byte[][] Classes(int count, int offset) => [.. Enumerable.Range(offset, count).Select(c =>
        {
            var block = new byte[12 * 256];
            for (int i = 0; i < 12; i++)
                for (int k = 0; k < 256; k++)
                {
                    int y = k / 16, x = k % 16;
                    bool square = y / 4 == c / 4 && x / 4 == c % 4;
                    block[i * 256 + k] = (byte)Math.Clamp((square ? 200 : 40) + random.Next(-30, 31), 0, 255);
                }
            return block;
        })];
        return new InMemoryFewShotDataset("squares", 1, 16, new Dictionary<FewShotSplit, byte[][]>
        {
            [FewShotSplit.Train] = Classes(8, 0),
            [FewShotSplit.Validation] = Classes(4, 8),
            [FewShotSplit.Test] = Classes(4, 12),
        });
    }

    private static MetaLearningOptions Tiny(string folder, double ratio = 0) => new(ImageSize: 16, Width: 4, Ways: 3, Shots: 2, Queries: 3, MetaBatch: 2,
        EpisodesPerEpoch: 4, Epochs: 2, LambdaRatio: ratio, ValidationEpisodes: 4, Seed: 5, Out: folder);

    [Fact]
    public void Training_writes_a_log_and_a_checkpoint_that_meta_test_reloads()
    {
        string folder = Directory.CreateTempSubdirectory("meta").FullName;
        try
        {
            var dataset = Squares(1);
            var result = new MetaLearningExperiment(Tiny(folder, 0.1)).Train(dataset: dataset);
            Assert.Equal(2, result.Log.Count);
            Assert.Equal(4, result.Log[^1].Step);
            Assert.All(result.Log, e => Assert.True(double.IsFinite(e.Loss) && e.Accuracy is >= 0 and <= 1 && e.ValidationAccuracy is >= 0 and <= 1));
            Assert.NotEqual(1.0, result.Log[^1].Scale);   // the scale is learned
            Assert.Equal(3, File.ReadAllLines(Path.Combine(folder, "log.csv")).Length);
            var state = Checkpoint.Load(new RunFolder(folder).Checkpoint);
            Assert.Equal(4, state.Step);
            Assert.Equal(result.Log[^1].Scale, state.Parameters["scale"].Data[0], 1e-6);

            var test = MetaLearningExperiment.Test(folder, new MetaTestOptions(Episodes: 10, BatchSize: 3), dataset: dataset);
            Assert.Equal(10, test.Episodes);
            Assert.InRange(test.MeanAccuracy, 0, 1);
            Assert.Equal(4 * (16 / 16) * (16 / 16), test.FeatureUsage.Length);
            Assert.InRange(test.MeanFeatureFraction, 0, 1);
            Assert.Equal(test.FeatureUsage.Average(), test.MeanFeatureFraction, 1e-9);   // both count used features over episodes
            var again = MetaLearningExperiment.Test(folder, new MetaTestOptions(Episodes: 10, BatchSize: 4), dataset: dataset);
            Assert.Equal(test.MeanAccuracy, again.MeanAccuracy, 1e-9);   // same episodes, whatever the batching
            Assert.True(File.Exists(Path.Combine(folder, "test-2shot-ratio0.1.json")));
            var reloaded = MetaLearningExperiment.ExistingTest(folder, new MetaTestOptions(Episodes: 10));
            Assert.NotNull(reloaded);
            Assert.Equal(again.FeatureUsage, reloaded.FeatureUsage);
            Assert.Null(MetaLearningExperiment.ExistingTest(folder, new MetaTestOptions(Episodes: 11)));
            string png = Path.Combine(folder, "figure5.png");
            MetaLearningReport.SaveFigure5(png, [test, again with { LambdaRatio = 0.3, MeanAccuracy = 0.5 }]);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png)[..4]);
            var collected = Assert.Single(MetaLearningReport.Collect(folder));   // what 'disentangle report FOLDER' reads
            Assert.Equal(again.MeanAccuracy, collected.MeanAccuracy);
            var written = MetaLearningReport.Write(folder, [collected]);
            var table = CsvTable.Read(written[0]);
            Assert.Equal([again.MeanAccuracy], table.Numbers("accuracy"));
            Assert.Equal([again.MeanFeatureFraction], table.Numbers("feature_fraction"));
            Assert.Equal(["exact-dual"], table.Rows.Select(r => r[table.IndexOf("head_solver")]));
        }
        finally { Directory.Delete(folder, true); }
    }

    [Fact]
    public void The_released_projected_gradient_head_trains_and_tests_and_the_report_separates_it()
    {
        string folder = Directory.CreateTempSubdirectory("meta").FullName;
        try
        {
            var dataset = Squares(2);
            var options = Tiny(folder, 0.2) with { HeadSolver = SvmHeadSolver.ProjectedGradient, Lambda2 = 1000 };
            var result = new MetaLearningExperiment(options).Train(dataset: dataset);
            Assert.All(result.Log, e => Assert.True(double.IsFinite(e.Loss) && e.FeatureFraction is > 0 and <= 1));
            Assert.NotEqual(1.0, result.Log[^1].Scale);                                     // gradients reach the scale through the head
            Assert.Equal(SvmHeadSolver.ProjectedGradient, ConfigFile.Load(new RunFolder(folder).Config, new MetaLearningOptions()).HeadSolver);
            var test = MetaLearningExperiment.Test(folder, new MetaTestOptions(Episodes: 6, BatchSize: 3), dataset: dataset);
            Assert.Equal(SvmHeadSolver.ProjectedGradient, test.HeadSolver);
            var exact = test with { HeadSolver = SvmHeadSolver.ExactDual, MeanAccuracy = 0.9 };
            var written = MetaLearningReport.Write(folder, [test, exact]);
            var table = CsvTable.Read(written[0]);
            Assert.Equal(["projected-gradient", "exact-dual"], table.Rows.Select(r => r[table.IndexOf("head_solver")]));
        }
        finally { Directory.Delete(folder, true); }
    }

    [Fact]
    public void A_larger_lambda_ratio_uses_fewer_features()
    {
        string folder = Directory.CreateTempSubdirectory("meta").FullName;
        try
        {
            var dataset = Squares(2);
            new MetaLearningExperiment(Tiny(folder) with { ValidationEpisodes = 0, Epochs = 1 }).Train(dataset: dataset);
            var fractions = new[] { 0.0, 0.3, 0.9 }.Select(r =>
                MetaLearningExperiment.Test(folder, new MetaTestOptions(Episodes: 6, LambdaRatio: r), dataset: dataset).MeanFeatureFraction).ToArray();
            Assert.True(fractions[0] >= fractions[1] && fractions[1] >= fractions[2] && fractions[2] < fractions[0], string.Join(", ", fractions));
        }
        finally { Directory.Delete(folder, true); }
    }

    [Fact]
    public void Schedule_maps_metaoptnet_epochs_to_fractions_of_the_run()
    {
        var schedule = MetaLearningExperiment.Schedule(0.1, 600);
        Assert.Equal([0, 200, 400, 500], schedule.Starts);
        Assert.Equal(0.1 * 0.06, schedule.Rate(250), 1e-12);
        var shortRun = MetaLearningExperiment.Schedule(0.1, 2);
        Assert.Equal([0, 1], shortRun.Starts);   // 2·40/60 = 1 collides with 2·50/60 = 1: the later piece is dropped
    }

    [Fact]
    public void Interval_is_196_standard_errors()
    {
        var (mean, half) = MetaLearningExperiment.MeanAndInterval([0.2, 0.4, 0.6, 0.8]);
        Assert.Equal(0.5, mean, 1e-12);
        Assert.Equal(1.96 * Math.Sqrt(0.2 / 3 / 4), half, 1e-12);
        Assert.Throws<ArgumentException>(() => MetaLearningExperiment.MeanAndInterval([1.0]));
    }

    [Fact]
    public void Conv4_maps_images_to_width_times_pooled_area_features()
    {
        var model = new FewShotModel(BackboneKind.Conv4, 3, 32, 8, new Random(1));
        Assert.Equal(32, model.FeatureCount);
        Assert.Equal([5, 32], model.Forward(Tensor.RandN([5, 3, 32, 32], new Random(2))).Shape);
        Assert.Throws<ArgumentException>(() => model.Forward(Tensor.RandN([1, 1, 32, 32], new Random(2))));
        var resnet = new FewShotModel(BackboneKind.Resnet12, 1, 16, 4, new Random(3));
        Assert.Equal(40, resnet.FeatureCount);   // widths 4-10-20-40, 16 / 2⁴ = 1
        resnet.Eval();
        Assert.Equal([2, 40], resnet.Forward(Tensor.RandN([2, 1, 16, 16], new Random(4))).Shape);
    }

    [Fact]
    public void Bad_options_are_rejected_with_their_names()
    {
        Assert.Contains("LambdaRatio", Assert.Throws<ArgumentOutOfRangeException>(() => new MetaLearningExperiment(new MetaLearningOptions(LambdaRatio: 1))).Message);
        Assert.Contains("MetaBatch", Assert.Throws<ArgumentOutOfRangeException>(() => new MetaLearningExperiment(new MetaLearningOptions(MetaBatch: 0))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MetaLearningExperiment(new MetaLearningOptions(Ways: 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MetaTestOptions(Episodes: 1).Validate());
        Assert.Throws<FileNotFoundException>(() => MetaLearningExperiment.Test("/nonexistent-run", new MetaTestOptions()));
    }
}
