using System.Text.Json.Nodes;
using Disentangle.Experiments;

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
        var points = SweepReport.Collect(runner.Folder, "rho");
        Assert.Equal(6, points.Count);   // lasso, ridge, ridge + ICA at ρ ∈ {0, 0.5}
        Assert.Equal([0.0, 0.5], points.Select(p => p.X).Distinct().Order());
        Assert.All(points, p => Assert.InRange(p.MeanMcc, 0, 1));
        var paths = SweepReport.Write(runner.Folder, "rho", points);
        Assert.All(paths, p => Assert.True(File.Exists(p)));
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
        var points = SweepReport.Collect(task.Folder, "rho");
        Assert.Equal(["inner-lasso (c=0.3)", "inner-ridge (c=1E-07)", "inner-ridge+ica (c=1E-07)"], points.Select(p => p.Method));
        Assert.Throws<ArgumentOutOfRangeException>(() => task.RunOne(2));
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
