using System.Text.Json;
using Disentangle.Data.Latents;
using Disentangle.Io;
using Disentangle.Runs;
using Disentangle.Tests.Io;
using Disentangle.Training;

namespace Disentangle.Tests.Runs;

public sealed class TrainingRunTests
{
    private static string TempRun() => Path.Combine(Path.GetTempPath(), $"disentangle-run-{Guid.NewGuid():N}");

    private static TrainOptions Linear(TrainMethod method, int steps, string folder) => new(
        Method: method, Steps: steps, Inputs: InputKind.Linear, LearningRate: 3e-3, EvalEvery: Math.Max(1, steps / 2),
        EvalSamples: 1000, ValidationTasks: 8, LogEvery: 100, Seed: 4, Out: folder);

    private static double InDistributionMcc(string folder) =>
        new RunEvaluation(folder, new EvaluateOptions(Samples: 3000, TrainingDistribution: true, Ica: false)).Run()[1].Scores.Mcc;

    [Fact]
    public void Inner_lasso_disentangles_a_linear_ground_truth_under_correlation_09_and_inner_ridge_does_not()
    {
        string lasso = TempRun(), ridge = TempRun();
        new TrainingRun(Linear(TrainMethod.InnerLasso, 1500, lasso)).Train();
        new TrainingRun(Linear(TrainMethod.InnerRidge, 1500, ridge)).Train();
        double lassoMcc = InDistributionMcc(lasso), ridgeMcc = InDistributionMcc(ridge);
        Assert.True(lassoMcc > 0.9, $"inner-lasso MCC {lassoMcc:F3}");
        Assert.True(ridgeMcc < lassoMcc - 0.1, $"inner-ridge MCC {ridgeMcc:F3} vs inner-lasso {lassoMcc:F3}");
    }

    [Fact]
    public void Resumed_run_reaches_the_same_parameters_bitwise_as_an_uninterrupted_one()
    {
        string whole = TempRun(), interrupted = TempRun();
        var options = Linear(TrainMethod.InnerLasso, 40, whole) with { EvalEvery = 20 };
        var reference = new TrainingRun(options);
        reference.Train();

        var first = new TrainingRun(options with { Out = interrupted, Steps = 20 });
        first.Train();
        var resumed = new TrainingRun(options with { Out = interrupted }, resume: true);
        Assert.Equal(20, resumed.Step);
        resumed.Train();

        var a = reference.Encoder.NamedParameters().Concat(reference.Encoder.NamedBuffers()).ToArray();
        var b = resumed.Encoder.NamedParameters().Concat(resumed.Encoder.NamedBuffers()).ToArray();
        Assert.Equal(a.Select(p => p.Item1), b.Select(p => p.Item1));
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i].Item2.Data, b[i].Item2.Data);
        var log = CsvTable.Read(Path.Combine(interrupted, "log.csv"));
        Assert.Equal(log.Numbers("step"), CsvTable.Read(Path.Combine(whole, "log.csv")).Numbers("step"));
        // the resumed run remembers the best validation loss so far, so it keeps the same best checkpoint
        var (bestWhole, bestResumed) = (Checkpoint.Load(Path.Combine(whole, "best.safetensors")), Checkpoint.Load(Path.Combine(interrupted, "best.safetensors")));
        Assert.Equal(bestWhole.Step, bestResumed.Step);
        foreach (var (name, parameter) in bestWhole.Parameters) Assert.Equal(parameter.Data, bestResumed.Parameters[name].Data);
    }

    [Fact]
    public void Image_runs_through_the_default_convolution_backend_repeat_and_resume_bitwise()
    {
        string whole = TempRun(), again = TempRun(), interrupted = TempRun();
        var options = new TrainOptions(Steps: 6, Tasks: 2, InnerShots: 8, OuterShots: 8, EvalEvery: 3, EvalSamples: 64, ValidationTasks: 2,
            LogEvery: 3, Seed: 5, Out: whole);
        var reference = new TrainingRun(options);
        reference.Train();
        var repeated = new TrainingRun(options with { Out = again });
        repeated.Train();
        new TrainingRun(options with { Out = interrupted, Steps = 3 }).Train();
        var resumed = new TrainingRun(options with { Out = interrupted }, resume: true);
        Assert.Equal(3, resumed.Step);
        resumed.Train();
        var a = reference.Encoder.NamedParameters().Concat(reference.Encoder.NamedBuffers()).ToArray();
        foreach (var other in new[] { repeated, resumed })
        {
            var b = other.Encoder.NamedParameters().Concat(other.Encoder.NamedBuffers()).ToArray();
            for (int i = 0; i < a.Length; i++) Assert.Equal(a[i].Item2.Data, b[i].Item2.Data);
        }
    }

    [Fact]
    public void Run_folder_files_are_written_and_open_as_numbers()
    {
        string folder = TempRun();
        new TrainingRun(Linear(TrainMethod.InnerLasso, 20, folder)).Train();
        foreach (var name in new[] { "config.json", "log.csv", "checkpoint.safetensors", "best.safetensors", "features-train-uniform.npy",
                     "latents-train-uniform.npy", "eval-train-uniform.json", "usage.json" })
            Assert.True(File.Exists(Path.Combine(folder, name)), name);
        var features = Npy.Read(Path.Combine(folder, "features-train-uniform.npy"));
        Assert.Equal([1000, 6], features.Shape);
        Assert.All(features.As<double>(), v => Assert.True(double.IsFinite(v)));
        Assert.Equal(20, Checkpoint.Load(Path.Combine(folder, "checkpoint.safetensors")).Step);
    }

    [Fact]
    public void Train_and_evaluate_write_one_schema_in_files_named_by_checkpoint_and_set_without_overwriting_each_other()
    {
        string folder = TempRun();
        new TrainingRun(Linear(TrainMethod.InnerLasso, 20, folder)).Train();
        byte[] trainFeatures = File.ReadAllBytes(Path.Combine(folder, "features-train-uniform.npy"));
        var results = new RunEvaluation(folder, new EvaluateOptions(Checkpoint: CheckpointChoice.Last, Samples: 500, TrainingDistribution: true)).Run();
        new RunEvaluation(folder, new EvaluateOptions(Samples: 500, Ica: true)).Run();

        Assert.Equal(["last-uniform", "last-harder_gauss_0.9"], results.Select(r => r.Name));
        foreach (var name in new[] { "train-uniform", "last-uniform", "last-harder_gauss_0.9", "best-ica-uniform" })
        {
            var result = JsonFiles.Read<EvaluationResult>(Path.Combine(folder, $"eval-{name}.json"));
            Assert.Equal(name, result.Name);
            Assert.Equal([result.Samples, 6], Npy.Read(Path.Combine(folder, $"features-{name}.npy")).Shape);
            Assert.Equal([result.Samples, 6], Npy.Read(Path.Combine(folder, $"latents-{name}.npy")).Shape);
            var json = JsonFiles.ReadObject(Path.Combine(folder, $"eval-{name}.json"));
            Assert.Equal("inner-lasso", json["method"]!.GetValue<string>());
            Assert.Equal(["run", "method", "step", "checkpoint", "ica", "set", "samples", "featureUsage", "scores", "evaluation", "icaSamples",
                "validationLoss", "notice", "name"], json.Select(p => p.Key));
            Assert.Equal("sampled", json["evaluation"]!.GetValue<string>());
            Assert.Equal(result.Ica ? 20_000 : null, result.IcaSamples);
            Assert.NotNull(result.Scores.DciDisentanglementReleased);            // both DCI weightings
            Assert.True(json["scores"]!.AsObject().ContainsKey("dciDisentanglement"));
            Assert.Null(result.Notice);
            // the validation loss logged at the scored step: best holds the lowest, train and last the final step's
            var losses = CsvTable.Read(Path.Combine(folder, "log.csv"));
            var logged = losses.Rows.Where(r => r[losses.IndexOf("validation_loss")].Length > 0)
                .ToDictionary(r => long.Parse(r[0]), r => double.Parse(r[losses.IndexOf("validation_loss")], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(logged[result.Step], result.ValidationLoss);
            if (result.Checkpoint == "best") Assert.Equal(logged.Values.Min(), result.ValidationLoss);
            else Assert.Equal(20, result.Step);
        }
        Assert.Equal(trainFeatures, File.ReadAllBytes(Path.Combine(folder, "features-train-uniform.npy")));
        foreach (var figure in new[] { "correlations-last.png", "traversals-last.png", "correlations-best-ica.png", "traversals-best-ica.png" })
            Assert.True(File.Exists(Path.Combine(folder, figure)), figure);
        // the traversals' numbers: each factor over its grid values (10 + 10 + 10 + 8 + 4 + 15), its matched feature, every feature
        var traversal = CsvTable.Read(Path.Combine(folder, "traversals-last.csv"));
        Assert.Equal(["factor", "value_index", "x", "matched", "z0", "z1", "z2", "z3", "z4", "z5"], traversal.Columns);
        Assert.Equal(57, traversal.Rows.Count);
        var assignment = JsonFiles.Read<EvaluationResult>(Path.Combine(folder, "eval-last-uniform.json")).Scores.Assignment;
        foreach (var (factor, f) in Disentangle.Data.ShapesFactors.Names.Select((name, f) => (name, f)))
            Assert.All(traversal.Rows.Where(r => r[0] == factor), r => Assert.Equal(assignment[f].ToString(), r[3]));
        Assert.True(File.Exists(Path.Combine(folder, "traversals-best-ica.csv")));
    }

    [PythonFact]
    public void Every_result_file_of_a_run_opens_in_python()
    {
        string folder = TempRun();
        new TrainingRun(Linear(TrainMethod.InnerLasso, 20, folder)).Train();
        var summary = JsonDocument.Parse(PythonPeer.RunScript("run_folder_check.py", folder)).RootElement;
        Assert.Equal([1000, 6], summary.GetProperty("features").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("<f8", summary.GetProperty("features_dtype").GetString());
        Assert.True(summary.GetProperty("features_finite").GetBoolean());
        Assert.True(summary.GetProperty("log_rows").GetInt32() >= 1);
        Assert.Equal("inner-lasso", summary.GetProperty("method").GetString());
        Assert.True(summary.GetProperty("checkpoint_tensors").GetInt32() > 6);
        Assert.True(summary.GetProperty("checkpoint_finite").GetBoolean());
    }

    [Fact]
    public void A_folder_holding_a_run_is_not_overwritten_and_resuming_with_another_config_is_refused()
    {
        string folder = TempRun();
        var options = Linear(TrainMethod.InnerLasso, 10, folder);
        new TrainingRun(options).Train();
        Assert.Contains("--resume", Assert.Throws<InvalidOperationException>(() => new TrainingRun(options)).Message);
        var e = Assert.Throws<InvalidOperationException>(() => new TrainingRun(options with { LearningRate = 0.1 }, resume: true));
        Assert.Contains("learningRate", e.Message);
    }

    [Fact]
    public void Divergence_stops_with_the_step_and_keeps_the_last_good_checkpoint()
    {
        string folder = TempRun();
        var trainer = new TrainingRun(Linear(TrainMethod.InnerLasso, 400, folder) with { LearningRate = 1e12, EvalEvery = 1 });
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Train());
        Assert.Matches(@"at step \d+", e.Message);
        var saved = Checkpoint.Load(Path.Combine(folder, "checkpoint.safetensors"));
        Assert.True(saved.Step < 400);
        Assert.All(saved.Parameters.Values.SelectMany(p => p.Data), v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData("latents", "harder_gaus_0.9")]
    [InlineData("coefficients", "binomial")]
    public void Unknown_distributions_are_rejected_with_the_valid_names(string which, string value)
    {
        var options = which == "latents" ? new TrainOptions(Latents: value, Out: TempRun()) : new TrainOptions(Coefficients: value, Out: TempRun());
        var e = Assert.ThrowsAny<ArgumentException>(() => new TrainingRun(options));
        Assert.Contains("Valid", e.Message);
    }

    [Fact]
    public void Out_of_range_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingRun(new TrainOptions(LambdaRatio: -0.1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingRun(new TrainOptions(LambdaRatio: 1.5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingRun(new TrainOptions(LatentNoise: 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingRun(new TrainOptions(Tasks: 0)));
    }

    [Theory]
    [InlineData("split")]
    [InlineData("group-lasso")]
    [InlineData("outer-l1")]
    [InlineData("outer-l2")]
    [InlineData("inner-ridge-ica")]
    public void Every_variant_of_the_trainer_lowers_its_outer_loss_on_a_fixed_batch(string variant)
    {
        var options = Linear(TrainMethod.InnerLasso, 1, TempRun());
        options = variant switch
        {
            "split" => options with { Split = true, InnerShots = 30, OuterShots = 20 },
            "group-lasso" => options with { Outputs = 3 },
            "outer-l1" => options with { Method = TrainMethod.OuterL1, OuterPenalty = 0.05 },
            "outer-l2" => options with { Method = TrainMethod.OuterL2, OuterPenalty = 0.05 },
            _ => options with { Method = TrainMethod.InnerRidgeIca },
        };
        var trainer = new TrainingRun(options);
        var batch = trainer.Batch(0);
        double first = trainer.StepOn(batch), last = first;
        for (int step = 0; step < 60; step++) last = trainer.StepOn(batch);
        Assert.True(last < 0.7 * first, $"{variant}: outer loss {first:G4} → {last:G4}");
    }

    [Fact]
    public void Outer_l1_adds_c_out_times_the_mean_scaled_l1_norm_of_the_task_predictors()
    {
        // Same seed, same first batch, same initial encoder: the losses differ only by c_out · mean_t λ_max,t Σ_j |Ŵ_t,j|.
        double Loss(double penalty)
        {
            var trainer = new TrainingRun(Linear(TrainMethod.OuterL1, 1, TempRun()) with { OuterPenalty = penalty });
            return trainer.StepOn(trainer.Batch(0));
        }
        double plain = Loss(0), once = Loss(0.1) - plain, twice = Loss(0.2) - plain;
        Assert.True(once > 1e-3, $"penalty term {once}");
        Assert.Equal(2 * once, twice, 1e-4 * once + 1e-6);
    }
}
