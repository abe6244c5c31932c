using System.Text.Json.Nodes;
using Disentangle.Experiments;
using Disentangle.Tests.Io;

namespace Disentangle.Tests.Experiments;

/// <summary>Sweep tests that compare trainings bit for bit. OpenBLAS's thread count is process-wide (results differ
/// bitwise with it), and tests running beside these set other counts, so they run on their own.</summary>
[Collection(ThreadCountCollection.Name)]
public sealed class SweepDeterminismTests
{
    /// <summary>The CLI that local sweeps start each run's process with.</summary>
    private static readonly SlurmLauncher Launcher = SlurmLauncher.ForAssembly(Disentangle.Tests.Cli.CliProcess.Dotnet, Disentangle.Tests.Cli.CliProcess.Dll);

    /// <summary>A sweep of two linear runs, inner-lasso and inner-ridge, evaluated halfway and at the end.</summary>
    private static SweepSpec LinearLassoAndRidge(string name, int steps) =>
        new(name, JsonNode.Parse($$"""{"inputs": "linear", "steps": {{steps}}, "evalEvery": {{steps / 2}}, "evalSamples": 200, "validationTasks": 4}""")!.AsObject(),
            [new("method", new JsonArray("inner-lasso", "inner-ridge"))]);

    [Fact]
    public void Runs_side_by_side_in_processes_of_their_own_train_what_they_train_in_this_process()
    {
        using var dir = new TempDirectory();
        var spec = LinearLassoAndRidge("apart", steps: 6);
        var here = new SweepRunner(spec, dir.File("here"));
        var apart = new SweepRunner(spec, dir.File("apart"));
        var scores = new System.Collections.Concurrent.ConcurrentDictionary<string, double>();
        Assert.Empty(here.RunLocally(2).Failures);
        var result = apart.RunLocally(2, (name, s) => scores[name] = s.Mcc, processes: Launcher);
        Assert.True(result.Failures.Count == 0, string.Join("\n", result.Failures));
        foreach (var name in new[] { "method=inner-lasso", "method=inner-ridge" })
        {
            var (a, b) = (Checkpoint(here, name), Checkpoint(apart, name));
            foreach (var (key, tensor) in a.Parameters) Assert.Equal(tensor.Data, b.Parameters[key].Data);
            Assert.Equal(SweepResults.UniformEvaluations(new Disentangle.Runs.RunFolder(Path.Combine(apart.Folder, "runs", name))).First().Scores.Mcc, scores[name]);
            Assert.Contains("threads: 1", File.ReadAllText(Path.Combine(apart.Folder, $"local-{(name.EndsWith("lasso") ? 0 : 1):D4}.out")));
        }
        Assert.Equal(SweepResults.Collect(here.Folder, "rho").Select(r => r.Scores.Mcc), SweepResults.Collect(apart.Folder, "rho").Select(r => r.Scores.Mcc));

        static Disentangle.Io.CheckpointState Checkpoint(SweepRunner sweep, string name) =>
            Disentangle.Io.Checkpoint.Load(Path.Combine(sweep.Folder, "runs", name, "checkpoint.safetensors"));
    }

    [Fact]
    public void A_sweep_run_again_starts_no_process_for_its_finished_runs()
    {
        using var dir = new TempDirectory();
        var spec = LinearLassoAndRidge("again", steps: 4);
        var sweep = new SweepRunner(spec, dir.File("root"));
        var first = new System.Collections.Concurrent.ConcurrentDictionary<string, double>();
        Assert.Empty(sweep.RunLocally(2, (name, s) => first[name] = s.Mcc, processes: Launcher).Failures);
        Assert.Equal(2, Directory.GetFiles(sweep.Folder, "local-*.out").Length);
        foreach (var file in Directory.GetFiles(sweep.Folder, "local-*.out")) File.Delete(file);

        var again = new System.Collections.Concurrent.ConcurrentDictionary<string, double>();
        Assert.Empty(sweep.RunLocally(2, (name, s) => again[name] = s.Mcc, processes: Launcher).Failures);
        Assert.Empty(Directory.GetFiles(sweep.Folder, "local-*.out"));   // the recorded scores, read here
        Assert.Equal(first.OrderBy(p => p.Key), again.OrderBy(p => p.Key));
    }

    [Fact]
    public void Inner_lasso_at_c_0_trains_exactly_as_inner_ridge_at_c_0_and_takes_its_training_in_a_sweep()
    {
        using var dir = new TempDirectory();
        var basics = JsonNode.Parse("""{"inputs": "linear", "steps": 6, "evalEvery": 3, "evalSamples": 200, "validationTasks": 4, "lambdaRatio": 0, "threads": 1}""")!.AsObject();
        // Trained apart: the same parameters, buffers and Adam state, bit for bit.
        var apart = new[] { "inner-lasso", "inner-ridge" }.Select(method =>
        {
            var options = Disentangle.Io.ConfigFile.Merge(new Disentangle.Training.TrainOptions(), basics, "test")
                with { Method = Enum.Parse<Disentangle.Training.TrainMethod>(method.Replace("-", ""), ignoreCase: true), Out = dir.File(method) };
            new Disentangle.Runs.TrainingRun(options).Train();
            return Disentangle.Io.Checkpoint.Load(Path.Combine(options.Out, "checkpoint.safetensors"));
        }).ToArray();
        foreach (var (name, tensor) in apart[0].Parameters) Assert.Equal(tensor.Data, apart[1].Parameters[name].Data);
        foreach (var (name, tensor) in apart[0].Buffers) Assert.Equal(tensor.Data, apart[1].Buffers[name].Data);
        foreach (var (name, data) in apart[0].OptimizerState) Assert.Equal(data.Data, apart[1].OptimizerState[name].Data);

        // In a sweep, the second takes the first's training and is scored as its own method.
        var sweep = new SweepRunner(new SweepSpec("c0", basics, [new("method", new JsonArray("inner-lasso", "inner-ridge"))]), dir.File("root"));
        Assert.Empty(sweep.RunLocally(1).Failures);
        string lasso = Path.Combine(sweep.Folder, "runs", "method=inner-lasso"), ridge = Path.Combine(sweep.Folder, "runs", "method=inner-ridge");
        Assert.Equal("", RunOutcome.Read(lasso)!.Message);
        Assert.StartsWith("training shared with ../method=inner-lasso", RunOutcome.Read(ridge)!.Message);
        var (lassoConfig, ridgeConfig) = (Disentangle.Io.JsonFiles.ReadObject(Path.Combine(lasso, "config.json")), Disentangle.Io.JsonFiles.ReadObject(Path.Combine(ridge, "config.json")));
        Assert.Equal(6, ridgeConfig["zDim"]!.GetValue<int>());   // as the training wrote it, so a report puts both in one setting
        foreach (var (key, value) in lassoConfig.Where(p => p.Key is not ("method" or "out")))
            Assert.Equal(value?.ToJsonString(), ridgeConfig[key]?.ToJsonString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(lasso, "checkpoint.safetensors")), File.ReadAllBytes(Path.Combine(ridge, "checkpoint.safetensors")));
        var train = Disentangle.Io.JsonFiles.Read<Disentangle.Runs.EvaluationResult>(Path.Combine(ridge, "eval-train-uniform.json"));
        Assert.Equal((Disentangle.Training.TrainMethod.InnerRidge, ridge), (train.Method, train.Run));
        var runs = SweepResults.Collect(sweep.Folder, "rho");
        Assert.Equal(["inner-lasso", "inner-ridge", "inner-ridge-ica"], runs.Select(r => r.Method));
        Assert.Equal(runs[0].Scores.Mcc, runs[1].Scores.Mcc);   // least squares either way

        // Kept without checkpoints, the inner-ridge run gives an inner-lasso run at c = 0 only the evaluations without FastICA.
        string kept = dir.File(Path.Combine("repository", "c0", "runs", "method=inner-ridge"));
        Directory.CreateDirectory(kept);
        foreach (var file in Directory.GetFiles(ridge).Where(f => !f.EndsWith(".safetensors")))
            File.Copy(file, Path.Combine(kept, Path.GetFileName(file)));
        var lassoOnly = new SweepRunner(new SweepSpec("lasso", basics, [new("method", new JsonArray("inner-lasso"))]), dir.File("repository"));
        Assert.Empty(lassoOnly.RunLocally(1).Failures);
        var taken = SweepResults.Collect(lassoOnly.Folder, "rho");
        Assert.Equal(["inner-lasso"], taken.Select(r => r.Method));
        Assert.Equal(runs[0].Scores.Mcc, taken[0].Scores.Mcc);
        string copy = Path.Combine(lassoOnly.Folder, "runs", "method=inner-lasso");
        Assert.Empty(Directory.GetFiles(copy, "eval-*ica*"));
        Assert.Equal(Disentangle.Training.TrainMethod.InnerLasso, Disentangle.Io.JsonFiles.Read<Disentangle.Runs.EvaluationResult>(Path.Combine(copy, "eval-best-uniform.json")).Method);
    }
}

/// <summary>Tests whose bitwise comparisons need OpenBLAS's process-wide thread count to stay theirs run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadCountCollection
{
    public const string Name = "Process-wide thread count";
}
