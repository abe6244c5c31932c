using System.Text.Json.Nodes;
using Disentangle.Cli;
using Disentangle.Runs;

namespace Disentangle.Tests.Cli;

/// <summary>The adversarial cases of issue 13, one row each: the exit code, a fragment of the one-line message, no stack
/// trace, and nothing created by a command that fails validation.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class FailureTableTests : IClassFixture<FailureTableTests.TrainedRun>
{
    private const string Quick = "--inputs linear --eval-every 2 --eval-samples 200 --validation-tasks 4 --seed 7";
    private readonly TrainedRun _run;

    public FailureTableTests(TrainedRun run) => _run = run;

    /// <summary>A 4-step run trained once for the rows that need one (each row works on its own copy).</summary>
    public sealed class TrainedRun
    {
        public TrainedRun()
        {
            Folder = Temp("trained");
            var (code, output) = Run([.. $"train {Quick} --steps 4 --out {Folder}".Split(' ')]);
            Assert.True(code == 0, output);
        }

        public string Folder { get; }
    }

    private static (int ExitCode, string Output) Run(params string[] args) => CliRunner.Run(args);

    private static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"disentangle-fail-{name}-{Guid.NewGuid():N}");

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    public static TheoryData<string, string, int, string> Cases => new()
    {
        // name, command line ({new}: a folder that must not be created, {run}: a copy of a trained run), exit code, message fragment
        { "negative steps", $"train {Quick} --steps -1 --out {{new}}", 2, "--steps" },
        { "support larger than the factors", $"train {Quick} --coefficients fix_size_support_99 --out {{new}}", 2, "fix_size_support_99" },
        { "evaluation set beyond memory", $"train {Quick.Replace("--eval-samples 200", "--eval-samples 1000000000")} --out {{new}}", 2, "--eval-samples" },
        { "tasks beyond memory", $"train {Quick} --tasks 100000000 --out {{new}}", 2, "--tasks" },
        { "an unwritable folder", $"train {Quick} --steps 2 --out /proc/disentangle-forbidden/run", 2, "error:" },
        { "resume of a missing folder", $"train {Quick} --resume --out {{new}}", 2, "holds no run to resume" },
        { "evaluation samples beyond memory", "evaluate {run} --samples 400000000", 2, "--samples" },
        { "synthetic features beyond memory", "synthetic --features 100000000 --out {new}", 2, "--features" },
        { "gallery onto a folder", "gallery --out {run}", 2, "is a folder" },
        { "pairplot onto a folder", "pairplot --out {run}", 2, "is a folder" },
        { "divergence", $"train {Quick} --learning-rate 1e6 --steps 40 --out {{diverging}}", 3, "smaller --learning-rate" },
        { "resume with an emptied config", $"train {Quick} --steps 4 --resume --out {{run:empty-config}}", 2, "config.json" },
        { "resume below the step reached", $"train {Quick} --steps 2 --resume --out {{run}}", 2, "--steps" },
        { "resume with other options", $"train {Quick} --steps 4 --learning-rate 0.5 --resume --out {{run}}", 2, "learningRate" },
        { "train over an existing run", $"train {Quick} --steps 4 --out {{run}}", 2, "--resume" },
        { "meta-train over an existing run", "meta-train --out {run}", 2, "--force" },
        { "synthetic over existing results", "synthetic --out {run:summary}", 2, "--force" },
        { "a run folder in use", $"train {Quick} --steps 6 --resume --out {{run:locked}}", 2, "in use by another process" },
        { "a flag that does not parse", "train --steps many", 1, "many" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_failure_is_one_line_with_its_documented_exit_code(string name, string commandLine, int exitCode, string fragment)
    {
        string fresh = Temp("new"), run = Temp("run");
        RunLock? held = null;
        string line = commandLine.Replace("{new}", fresh).Replace("{diverging}", fresh);
        foreach (var variant in new[] { "{run:empty-config}", "{run:summary}", "{run:locked}", "{run}" })
        {
            if (!line.Contains(variant)) continue;
            CopyFolder(_run.Folder, run);
            if (variant == "{run:empty-config}") File.WriteAllText(Path.Combine(run, "config.json"), "");
            if (variant == "{run:summary}") File.WriteAllText(Path.Combine(run, "summary.csv"), "x\n");
            if (variant == "{run:locked}") held = RunLock.Acquire(run);
            line = line.Replace(variant, run);
        }
        try
        {
            var (code, output) = Run(line.Split(' '));
            Assert.True(code == exitCode, $"{name}: exit {code}, expected {exitCode}:\n{output}");
            Assert.Contains(fragment, output);
            Assert.DoesNotContain("   at ", output);           // no stack trace
            Assert.DoesNotContain("Exception", output);        // no exception type
            Assert.DoesNotContain("(Parameter '", output);
            if (commandLine.Contains("{new}")) Assert.False(Directory.Exists(fresh), $"{name}: created {fresh} before failing");
        }
        finally { held?.Dispose(); }
    }

    [Fact]
    public void Evaluate_without_a_best_checkpoint_says_so_and_labels_the_last_one()
    {
        string run = Temp("nobest");
        CopyFolder(_run.Folder, run);
        File.Delete(Path.Combine(run, "best.safetensors"));
        var (code, output) = Run(["evaluate", run, "--samples", "200"]);
        Assert.True(code == 0, output);
        Assert.Contains("best.safetensors does not exist", output);
        var result = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "eval-last-uniform.json")))!;
        Assert.Equal("last", result["checkpoint"]!.GetValue<string>());
        Assert.Contains("best.safetensors does not exist", result["notice"]!.GetValue<string>());
        Assert.False(File.Exists(Path.Combine(run, "eval-best-uniform.json")));
    }

    [Fact]
    public void Resume_may_raise_the_step_target_and_config_json_records_it()
    {
        string run = Temp("grow");
        CopyFolder(_run.Folder, run);
        var (code, output) = Run([.. $"train {Quick} --steps 6 --resume --out {run}".Split(' ')]);
        Assert.True(code == 0, output);
        Assert.Equal(6, JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!["steps"]!.GetValue<int>());
        Assert.Equal(6, Disentangle.Io.Checkpoint.Load(Path.Combine(run, "checkpoint.safetensors")).Step);
    }
}
