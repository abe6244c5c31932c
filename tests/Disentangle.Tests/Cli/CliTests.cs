using System.Text.Json.Nodes;
using Disentangle.Cli;

namespace Disentangle.Tests.Cli;

/// <summary>The console is process-wide, so these tests run alone.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

[Collection(nameof(ConsoleCollection))]
public sealed class CliTests
{
    private static (int ExitCode, string Output) Run(params string[] args)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        var output = new StringWriter();
        Console.SetOut(output);
        Console.SetError(output);
        try { return (CliApp.Build().Parse(args).Invoke(), output.ToString()); }
        finally { Console.SetOut(stdout); Console.SetError(stderr); }
    }

    private static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"disentangle-cli-{name}-{Guid.NewGuid():N}");

    [Fact]
    public void Flags_override_the_config_file_which_overrides_the_defaults()
    {
        string config = Temp("config") + ".json", run = Temp("run");
        File.WriteAllText(config, """{"inputs": "linear", "steps": 100, "learningRate": 0.01, "evalSamples": 200, "validationTasks": 2}""");
        var (code, output) = Run("train", "--config", config, "--steps", "4", "--eval-every", "2", "--out", run);
        Assert.True(code == 0, output);
        var saved = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!;
        Assert.Equal(4, saved["steps"]!.GetValue<int>());                 // the flag
        Assert.Equal(0.01, saved["learningRate"]!.GetValue<double>());    // the file
        Assert.Equal(8, saved["tasks"]!.GetValue<int>());                 // the default
        Assert.Contains("effective config", output);
        Assert.Contains("final (uniform grid): MCC", output);
    }

    [Fact]
    public void An_unknown_method_lists_the_valid_ones()
    {
        var (code, output) = Run("train", "--method", "inner-lasoo", "--out", Temp("run"));
        Assert.NotEqual(0, code);
        Assert.Contains("'inner-lasoo' is not a valid value for --method", output);
        Assert.Contains("inner-lasso, inner-ridge, inner-ridge-ica, outer-l1", output);
    }

    [Fact]
    public void A_config_file_with_an_unknown_key_is_refused_naming_the_key_and_the_file()
    {
        string config = Temp("config") + ".json";
        File.WriteAllText(config, """{"stepz": 3}""");
        var (code, output) = Run("train", "--config", config, "--out", Temp("run"));
        Assert.Equal(2, code);
        Assert.Contains("unknown key 'stepz'", output);
        Assert.Contains(config, output);
    }

    [Fact]
    public void Evaluating_a_folder_that_is_not_a_run_says_so()
    {
        string folder = Directory.CreateTempSubdirectory("not-a-run").FullName;
        var (code, output) = Run("evaluate", folder);
        Assert.Equal(2, code);
        Assert.Contains(folder, output);
        Assert.Contains("is not a run folder", output);
    }

    [Fact]
    public void A_sweep_dry_run_lists_its_runs_and_a_slurm_sweep_writes_its_script()
    {
        string root = Temp("sweeps"), file = Temp("sweep") + ".json";
        File.WriteAllText(file, """{"name": "s", "base": {"inputs": "linear"}, "grid": {"seed": [0, 1]}}""");
        var (code, output) = Run("sweep", file, "--root", root, "--dry-run");
        Assert.True(code == 0, output);
        Assert.Contains("2 runs", output);
        (code, output) = Run("sweep", file, "--root", root, "--slurm");
        Assert.True(code == 0, output);
        string script = File.ReadAllText(Path.Combine(root, "s", "sweep.slurm"));
        Assert.Contains("Disentangle.Cli.dll\" sweep", script);              // the built CLI, not a launcher that builds
        Assert.Contains("--index \"${SLURM_ARRAY_TASK_ID}\"", script);
    }
}
