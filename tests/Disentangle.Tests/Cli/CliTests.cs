using System.Text.Json.Nodes;
using Disentangle.Cli;
using Disentangle.Tensors;

namespace Disentangle.Tests.Cli;

/// <summary>The console is process-wide, so these tests run alone.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

[Collection(nameof(ConsoleCollection))]
public sealed class CliTests
{
    private static (int ExitCode, string Output) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void Threads_flag_is_accepted_by_every_command_printed_by_info_recorded_by_train_and_kept_on_resume()
    {
        var (code, output) = Run("info", "--threads", "1");
        Assert.Equal(0, code);
        Assert.Contains("threads: 1 (--threads", output);
        Assert.Contains("convolutions: ", output);
        (code, output) = Run("info", "--threads", "0");
        Assert.Equal(2, code);
        Assert.Contains("--threads must be at least 1", output);
        string run = Temp("threads");
        (code, output) = Run("train", "--inputs", "linear", "--steps", "2", "--eval-every", "2", "--eval-samples", "200", "--validation-tasks", "2", "--out", run, "--threads", "1");
        Assert.True(code == 0, output);
        Assert.Contains("threads: 1 (recorded", output);
        Assert.Equal(1, JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!["threads"]!.GetValue<int>());
        (code, output) = Run("train", "--inputs", "linear", "--steps", "4", "--eval-every", "2", "--eval-samples", "200", "--validation-tasks", "2", "--out", run, "--resume", "--threads", "2");
        Assert.True(code == 0, output);
        Assert.Contains("threads: 1 (recorded", output);   // the resumed run keeps the count its numbers depend on
        Assert.Equal(1, JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!["threads"]!.GetValue<int>());
    }

    [Fact]
    public void Info_names_the_machines_kernels_and_a_resume_on_other_kernels_warns()
    {
        var (code, output) = Run("info", "--threads", "1");
        Assert.Equal(0, code);
        Assert.Contains($"machine: {Disentangle.Tensors.MachineKind.Current().Describe()}", output);
        string run = Temp("machine");
        string[] quick = ["train", "--inputs", "linear", "--eval-every", "2", "--eval-samples", "200", "--validation-tasks", "2", "--out", run, "--threads", "1"];
        (code, output) = Run([.. quick, "--steps", "2"]);
        Assert.True(code == 0, output);
        Assert.DoesNotContain("warning", output);
        string machine = Path.Combine(run, "machine.json");
        File.WriteAllText(machine, File.ReadAllText(machine).Replace("\"convolutions\": \"", "\"convolutions\": \"elsewhere "));
        (code, output) = Run([.. quick, "--steps", "4", "--resume"]);
        Assert.True(code == 0, output);
        Assert.Contains("warning: ", output);
        Assert.Contains("trained steps 0–2 on another kind of machine", output);
        Assert.Equal(2, JsonNode.Parse(File.ReadAllText(machine))!.AsArray().Count);
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
