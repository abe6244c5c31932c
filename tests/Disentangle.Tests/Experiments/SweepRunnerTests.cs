using System.Text.Json.Nodes;
using Disentangle.Experiments;
using Disentangle.Tests.Io;

namespace Disentangle.Tests.Experiments;

public sealed class SweepRunnerTests
{
    [Fact]
    public void Local_sweep_trains_evaluates_and_reports_one_point_per_method_and_rho()
    {
        var root = Path.Combine(Path.GetTempPath(), $"disentangle-sweep-{Guid.NewGuid():N}");
        var spec = new SweepSpec("tiny", JsonNode.Parse("""{"inputs": "linear", "steps": 10, "evalEvery": 5, "evalSamples": 200, "validationTasks": 4}""")!.AsObject(),
            [new("method", new JsonArray("inner-lasso", "inner-ridge")), new("latents", new JsonArray("uniform", "harder_gauss_0.5"))]);
        var runner = new SweepRunner(spec, root);
        var result = runner.RunLocally(parallel: 2);
        Assert.True(result.Failures.Count == 0, string.Join("\n", result.Failures));
        for (int i = 0; i < 4; i++) Assert.True(File.Exists(Path.Combine(runner.Folder, "configs", $"{i:D4}.json")));
        int share = Math.Max(1, Disentangle.Tensors.Parallelism.MaxThreads / 2);   // each of the 2 runs at once gets its share
        foreach (var config in Directory.GetFiles(Path.Combine(runner.Folder, "runs"), "config.json", SearchOption.AllDirectories))
            Assert.Equal(share, JsonNode.Parse(File.ReadAllText(config))!["threads"]!.GetValue<int>());
        var runs = SweepResults.Collect(runner.Folder, "rho");
        Assert.Equal(6, runs.Count);   // lasso, ridge, ridge + ICA at ρ ∈ {0, 0.5}
        Assert.All(runs, r => Assert.True(File.Exists(r.FeaturesPath), r.FeaturesPath));
        Assert.All(runs, r => Assert.True(double.IsFinite(r.ValidationLoss)));
        var rows = SweepSelection.Rows(runs);
        // one seed, one c per cell: each-c, best-c and validation rows (UDR needs two seeds)
        Assert.Equal(18, rows.Count);
        Assert.Equal([0.0, 0.5], rows.Select(p => p.X).Distinct().Order());
        Assert.All(rows, p => Assert.InRange(p.Mcc.Mean, 0, 1));
        var paths = SweepReport.Write(runner.Folder, "rho", rows);
        Assert.All(paths, p => Assert.True(File.Exists(p)));
        Assert.StartsWith("method,rho,latent_noise,c,selection,mcc_mean,mcc_se,r_mean,r_se,dci_d_mean,dci_d_se,seeds,steps", File.ReadAllText(paths[0]));
    }

    [Fact]
    public void Slurm_array_tasks_run_from_the_saved_sweep_file_and_give_what_report_reads()
    {
        var root = Path.Combine(Path.GetTempPath(), $"disentangle-slurm-{Guid.NewGuid():N}");
        var spec = new SweepSpec("array", JsonNode.Parse("""{"inputs": "linear", "steps": 6, "evalEvery": 3, "evalSamples": 200, "validationTasks": 4}""")!.AsObject(),
            [new("method", new JsonArray("inner-lasso", "inner-ridge"))]);
        var launcher = SlurmLauncher.ForAssembly("/usr/bin/dotnet", "/opt/disentangle/Disentangle.Cli.dll");
        var script = File.ReadAllText(new SweepRunner(spec, root).WriteSlurm(launcher, new SlurmOptions(2, 1)).Script!);
        var specFile = Path.Combine(root, "array", "sweep.json");
        Assert.Contains($"sweep \"{specFile}\" --root \"{root}\" --index", script);
        var saved = SweepSpec.Load(specFile);
        Assert.Equal(spec.Expand().Select(r => r.Name), saved.Expand().Select(r => r.Name));
        var task = new SweepRunner(saved, root);                 // what each array task does
        var names = Enumerable.Range(0, 2).Select(i => task.RunOne(i).Name).ToArray();
        Assert.Equal(saved.Expand().Select(r => r.Name), names);
        var runs = SweepResults.Collect(task.Folder, "rho");
        Assert.Equal(["inner-lasso", "inner-ridge", "inner-ridge-ica"], runs.Select(p => p.Method));
        Assert.Equal([0.3, 1e-7, 1e-7], runs.Select(p => p.C));
        Assert.Throws<ArgumentOutOfRangeException>(() => task.RunOne(2));
    }

    [Fact]
    public void A_sweep_takes_the_training_of_a_run_another_sweep_finished_with_the_same_options()
    {
        var root = Path.Combine(Path.GetTempPath(), $"disentangle-shared-{Guid.NewGuid():N}");
        var basics = """{"inputs": "linear", "steps": 6, "evalEvery": 3, "evalSamples": 200, "validationTasks": 4, "method": "inner-ridge", "threads": 1}""";
        var first = new SweepRunner(new SweepSpec("rho", JsonNode.Parse(basics)!.AsObject(),
            [new("latents", new JsonArray("uniform", "harder_gauss_0.9"))]), root);
        Assert.Empty(first.RunLocally(parallel: 1).Failures);
        var second = new SweepRunner(new SweepSpec("noise", JsonNode.Parse(basics.Replace("}", """, "latents": "harder_gauss_0.9"}"""))!.AsObject(),
            [new("latentNoise", new JsonArray(0.5, 1))]), root);   // noise 1 is the default: the first sweep's ρ = 0.9 run
        Assert.Empty(second.RunLocally(parallel: 1).Failures);

        string twin = Path.Combine(first.Folder, "runs", "latents=harder_gauss_0.9"), shared = Path.Combine(second.Folder, "runs", "latentNoise=1");
        Assert.Equal($"training shared with {Path.GetRelativePath(shared, twin)} (it trains exactly alike)", RunOutcome.Read(shared)!.Message);
        Assert.Equal("", RunOutcome.Read(Path.Combine(second.Folder, "runs", "latentNoise=0.5"))!.Message);   // trained itself
        foreach (var file in new[] { "checkpoint.safetensors", "best.safetensors", "log.csv", "features-best-uniform.npy", "features-last-ica-uniform.npy" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(twin, file)), File.ReadAllBytes(Path.Combine(shared, file)));   // evaluated here: the same
        Assert.Equal(shared, Disentangle.Io.JsonFiles.Read<Disentangle.Runs.EvaluationResult>(Path.Combine(shared, "eval-best-uniform.json")).Run);
        Assert.Equal(shared, Disentangle.Io.JsonFiles.Read<Disentangle.Runs.EvaluationResult>(Path.Combine(shared, "eval-train-uniform.json")).Run);
        Assert.Equal(4, SweepResults.Collect(second.Folder, "latentNoise").Count);   // ridge and ridge + ICA at each noise
    }

    [Fact]
    public void A_restarted_sweep_scores_only_the_evaluations_its_finished_runs_lack_and_opens_no_data_for_the_others()
    {
        using var dir = new TempDirectory();
        string data = dir.File("blobs.npz"), away = dir.File("moved.npz");
        Disentangle.Tests.Data.OwnData.BlobData.WriteNpz(data, 200);
        var spec = new SweepSpec("again", JsonNode.Parse($$"""{"data": "{{data}}", "steps": 4, "evalEvery": 2, "evalSamples": 60, "validationTasks": 2, "tasks": 2, "innerShots": 10, "outerShots": 10, "threads": 1}""")!.AsObject(),
            [new("method", new JsonArray("inner-ridge"))]);
        var runner = new SweepRunner(spec, dir.File("root"));
        var first = new List<double>();
        Assert.Empty(runner.RunLocally(1, (_, scores) => first.Add(scores.Mcc)).Failures);
        var run = Path.Combine(runner.Folder, "runs", "method=inner-ridge");
        var written = Directory.GetFiles(run, "eval-*.json").ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.Equal(5, written.Count);   // train; best and last, each with and without FastICA

        File.Move(data, away);   // every evaluation is recorded: the restart reads no data
        var again = new List<double>();
        Assert.Empty(runner.RunLocally(1, (_, scores) => again.Add(scores.Mcc)).Failures);
        Assert.Equal(first, again);
        File.Move(away, data);

        File.Delete(Path.Combine(run, "eval-last-ica-uniform.json"));
        var second = new List<double>();
        Assert.Empty(runner.RunLocally(1, (_, scores) => second.Add(scores.Mcc)).Failures);
        Assert.Equal(first, second);
        foreach (var (file, time) in written.Where(w => !w.Key.EndsWith("eval-last-ica-uniform.json")))
            Assert.Equal(time, File.GetLastWriteTimeUtc(file));   // not scored again
        Assert.True(File.Exists(Path.Combine(run, "eval-last-ica-uniform.json")));   // the missing one is
        Assert.Equal(RunState.Done, RunOutcome.Read(run)!.State);
    }

    [Fact]
    public void A_sweep_kept_without_its_checkpoints_elsewhere_is_done_reported_and_shared_but_not_trained_on()
    {
        using var dir = new TempDirectory();
        var basics = JsonNode.Parse("""{"inputs": "linear", "steps": 6, "evalEvery": 3, "evalSamples": 200, "validationTasks": 4, "method": "inner-ridge", "threads": 1}""")!.AsObject();
        var spec = new SweepSpec("kept", basics, [new("latents", new JsonArray("harder_gauss_0.9"))]);
        var trained = new SweepRunner(spec, dir.File("cluster"));
        var first = new List<double>();
        Assert.Empty(trained.RunLocally(1, (_, scores) => first.Add(scores.Mcc)).Failures);

        // What a repository keeps: everything but the checkpoints and most arrays, in another folder.
        var kept = new SweepRunner(spec, dir.File("repository"));
        string from = Path.Combine(trained.Folder, "runs", "latents=harder_gauss_0.9"), run = Path.Combine(kept.Folder, "runs", "latents=harder_gauss_0.9");
        Keep(from, run);
        var log = File.ReadAllBytes(Path.Combine(run, "log.csv"));
        var again = new List<double>();
        Assert.Empty(kept.RunLocally(1, (_, scores) => again.Add(scores.Mcc)).Failures);
        Assert.Equal(first, again);
        Assert.Equal(log, File.ReadAllBytes(Path.Combine(run, "log.csv")));   // not trained again
        Assert.False(File.Exists(Path.Combine(run, "checkpoint.safetensors")));
        Assert.True(SweepRunner.IsDone(kept.Plan()[0].Options));
        Assert.Equal(RunState.Done, SweepStatus.Collect(kept.Folder, kept.Plan())[0].State);
        var (original, copies) = (SweepResults.Collect(trained.Folder, "rho"), SweepResults.Collect(kept.Folder, "rho"));
        Assert.Equal(original.Select(r => r.Scores.Mcc), copies.Select(r => r.Scores.Mcc));
        Assert.Equal(["inner-ridge", "inner-ridge-ica"], copies.Select(r => r.Method));
        Assert.False(File.Exists(copies[1].FeaturesPath));
        for (int i = 0; i < 2; i++)   // UDR's input, the FastICA features rebuilt bit for bit
        {
            Assert.True(copies[i].HasFeatures);
            Assert.Equal(original[i].ReadFeatures().Data, copies[i].ReadFeatures().Data);
        }

        // Another sweep with the same run takes the kept results; it cannot train on from them.
        var noise = new SweepRunner(new SweepSpec("noise", basics, [new("latents", new JsonArray("harder_gauss_0.9")), new("latentNoise", new JsonArray(1))]), dir.File("repository"));
        var shared = new List<double>();
        Assert.Empty(noise.RunLocally(1, (_, scores) => shared.Add(scores.Mcc)).Failures);
        Assert.Equal(first, shared);
        string twin = Path.Combine(noise.Folder, "runs", "latentNoise=1_latents=harder_gauss_0.9");
        Assert.StartsWith("training shared with", RunOutcome.Read(twin)!.Message);
        Assert.Equal(twin, Disentangle.Io.JsonFiles.Read<Disentangle.Runs.EvaluationResult>(Path.Combine(twin, "eval-best-ica-uniform.json")).Run);
        Assert.False(File.Exists(Path.Combine(twin, "checkpoint.safetensors")));

        basics["steps"] = 8;
        var longer = new SweepRunner(new SweepSpec("kept", basics, [new("latents", new JsonArray("harder_gauss_0.9"))]), dir.File("repository"));
        var failure = Assert.Single(longer.RunLocally(1).Failures);
        Assert.Contains("kept without its checkpoints at step 6, and the sweep asks for 8 steps", failure.Message);
        Assert.Equal(RunState.Done, RunOutcome.Read(run)!.State);   // what it holds is untouched
        Assert.Equal(log, File.ReadAllBytes(Path.Combine(run, "log.csv")));
    }

    [Fact]
    public void A_run_shared_from_kept_runs_takes_the_twin_of_its_own_method_which_holds_its_FastICA_scores()
    {
        using var dir = new TempDirectory();
        // An inner Lasso with c = 0 trains as inner-ridge with c = 0, but was scored without FastICA: of the two kept
        // twins, inner-ridge (ordered after it) is the one that gives the shared run every evaluation it needs.
        var basics = JsonNode.Parse("""{"inputs": "linear", "steps": 6, "evalEvery": 3, "evalSamples": 200, "validationTasks": 4, "lambdaRatio": 0, "latents": "harder_gauss_0.9", "threads": 1}""")!.AsObject();
        var spec = new SweepSpec("rho", basics, [new("method", new JsonArray("inner-lasso", "inner-ridge"))]);
        var trained = new SweepRunner(spec, dir.File("cluster"));
        Assert.Empty(trained.RunLocally(1).Failures);
        var kept = new SweepRunner(spec, dir.File("repository"));
        foreach (var run in new[] { "method=inner-lasso", "method=inner-ridge" })
            Keep(Path.Combine(trained.Folder, "runs", run), Path.Combine(kept.Folder, "runs", run));

        var noise = new SweepRunner(new SweepSpec("noise", basics, [new("method", new JsonArray("inner-ridge")), new("latentNoise", new JsonArray(1))]), dir.File("repository"));
        Assert.Empty(noise.RunLocally(1).Failures);
        string shared = Path.Combine(noise.Folder, "runs", "latentNoise=1_method=inner-ridge");
        Assert.Equal(SharedRuns.Note(Path.Combine(kept.Folder, "runs", "method=inner-ridge"), shared), RunOutcome.Read(shared)!.Message);
        Assert.Equal(SweepResults.Collect(kept.Folder, "rho").Where(r => r.Method != "inner-lasso").Select(r => r.Scores.Mcc),
            SweepResults.Collect(noise.Folder, "rho").Select(r => r.Scores.Mcc));   // inner-ridge and inner-ridge + ICA
    }

    /// <summary>What a repository keeps of a run: everything but the checkpoints and most arrays (the FastICA features are
    /// rebuilt from the plain ones and the unmixing).</summary>
    private static void Keep(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from).Where(f => !f.EndsWith(".safetensors") && !Path.GetFileName(f).StartsWith("latents-")
            && !(Path.GetFileName(f).StartsWith("features-") && f.Contains("-ica-"))))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    [Fact]
    public void A_full_grid_sweep_scores_each_run_on_every_grid_point_and_report_reads_those()
    {
        var root = Path.Combine(Path.GetTempPath(), $"disentangle-fullgrid-{Guid.NewGuid():N}");
        var file = Path.Combine(root, "grid.json");
        Directory.CreateDirectory(root);
        File.WriteAllText(file, """
            {"name": "whole", "base": {"inputs": "linear", "steps": 4, "evalEvery": 2, "evalSamples": 200, "validationTasks": 4, "threads": 1},
             "grid": {"method": ["inner-lasso"]}, "fullGrid": true}
            """);
        var spec = SweepSpec.Load(file);
        Assert.True(spec.FullGrid);
        var runner = new SweepRunner(spec, root);
        Assert.Empty(runner.RunLocally(1).Failures);
        Assert.True(SweepSpec.Load(runner.SpecFile).FullGrid);   // the copy beside the runs keeps it (array tasks read it)
        var sampled = Assert.Single(SweepResults.Collect(runner.Folder, "rho"));
        var whole = Assert.Single(SweepResults.Collect(runner.Folder, "rho", fullGrid: true));
        Assert.EndsWith("features-best-full-grid-uniform.npy", whole.FeaturesPath);
        var result = Disentangle.Io.JsonFiles.Read<Disentangle.Runs.EvaluationResult>(whole.FeaturesPath.Replace("features-", "eval-").Replace(".npy", ".json"));
        Assert.Equal(Disentangle.Data.ShapesFactors.Shapes3D.Count, result.Samples);
        Assert.Equal(Disentangle.Runs.EvaluationResult.FullGrid, result.Evaluation);
        Assert.InRange(Math.Abs(whole.Scores.Mcc - sampled.Scores.Mcc), 0, 0.1);   // the same encoder, a larger sample
        Assert.Empty(SweepReport.Missing(runner.Folder, fullGrid: true));
        File.WriteAllText(file, File.ReadAllText(file).Replace("true}", "\"yes\"}"));
        Assert.Contains("must be true or false", Assert.Throws<InvalidDataException>(() => SweepSpec.Load(file)).Message);
    }

    [Fact]
    public void A_bad_value_in_a_sweep_grid_names_the_run()
    {
        var spec = new SweepSpec("bad", new JsonObject(), [new("tasks", new JsonArray(4, 0))]);
        var e = Assert.ThrowsAny<Exception>(() => new SweepRunner(spec, Path.GetTempPath()).Plan());
        Assert.Contains("Tasks", e.Message);
    }

    [Theory]
    [InlineData("harder_gauss_0.9", 0.9)]
    [InlineData("gauss_0.99", 0.99)]
    [InlineData("uniform", 0)]
    public void Rho_is_read_from_the_latent_distribution_name(string name, double rho) => Assert.Equal(rho, SweepReport.Rho(name));
}
