using System.Text.RegularExpressions;
using Disentangle.Io;

namespace Disentangle.Tests.Cli;

/// <summary>SIGTERM (a Slurm time limit, <c>kill</c>) and SIGINT (Ctrl-C) on a real CLI process.</summary>
public sealed partial class StopSignalTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static CliProcess StartLongRun(string folder) => new("train", "--inputs", "linear", "--steps", "100000", "--eval-every", "40",
        "--log-every", "10", "--eval-samples", "200", "--validation-tasks", "4", "--seed", "7", "--out", folder);

    [Fact]
    public void Sigterm_ends_training_at_a_step_with_a_checkpoint_and_exits_with_143() => StopsAtAStep(15, 143);

    [SigintFact]
    public void Sigint_ends_training_at_a_step_with_a_checkpoint_and_exits_with_130() => StopsAtAStep(2, 130);

    private static void StopsAtAStep(int signal, int exitCode)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"disentangle-signal-{Guid.NewGuid():N}");
        using var run = StartLongRun(folder);
        Assert.True(run.WaitForLine(l => l.StartsWith("step ", StringComparison.Ordinal), Patience), run.Output);
        run.Signal(signal);
        Assert.Equal(exitCode, run.WaitForExit(Patience));
        var match = Interrupted().Match(run.Output);
        Assert.True(match.Success, run.Output);
        long step = long.Parse(match.Groups[1].Value);
        Assert.InRange(step, 10, 99_999);
        Assert.Equal(step, Checkpoint.Load(Path.Combine(folder, "checkpoint.safetensors")).Step);
        Assert.False(File.Exists(Path.Combine(folder, "eval-train-uniform.json")));
        Assert.DoesNotContain("final (uniform grid)", run.Output);
        Assert.DoesNotContain("Exception", run.Output);
    }

    [SigintFact]
    public void A_second_signal_exits_at_once_without_a_stack_trace()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"disentangle-signal-{Guid.NewGuid():N}");
        using var run = StartLongRun(folder);
        Assert.True(run.WaitForLine(l => l.StartsWith("step ", StringComparison.Ordinal), Patience), run.Output);
        run.Signal(2);
        Thread.Sleep(5);
        run.Signal(2);
        Assert.Equal(130, run.WaitForExit(Patience));
        Assert.DoesNotContain("Exception", run.Output);
        Assert.DoesNotContain("   at ", run.Output);
        Assert.DoesNotContain("final (uniform grid)", run.Output);
    }

    [Fact]
    public void A_stop_signal_ends_a_local_sweeps_runs_with_checkpoints_and_status_shows_them_interrupted()
    {
        string root = Directory.CreateTempSubdirectory("disentangle-signal-sweep").FullName, file = Path.Combine(root, "s.json");
        File.WriteAllText(file, """{"name": "s", "base": {"inputs": "linear", "steps": 100000, "logEvery": 10, "evalEvery": 1000, "evalSamples": 200, "validationTasks": 4}, "grid": {"seed": [0, 1, 2]}}""");
        string log = Path.Combine(root, "runs", "s", "runs", "seed=0", "log.csv");
        using var sweep = new CliProcess("sweep", file, "--root", Path.Combine(root, "runs"), "--parallel", "2");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!(File.Exists(log) && File.ReadAllLines(log).Length > 1) && clock.Elapsed < Patience) Thread.Sleep(20);
        sweep.Signal(15);
        Assert.Equal(143, sweep.WaitForExit(Patience));
        Assert.Contains("run(s) stopped at a step boundary with a checkpoint", sweep.Output);
        Assert.False(Directory.Exists(Path.Combine(root, "runs", "s", "runs", "seed=2")), "a run started after the stop request");
        var (code, status) = CliProcess.Run(Patience, "sweep", Path.Combine(root, "runs", "s"), "--status");
        Assert.True(code == 0, status);
        Assert.Matches(@"seed=0\s+interrupted\s+step \d+/100000 .*interrupted at step \d+ of 100000", status);
        Assert.Matches(@"seed=2\s+pending\s+not started", status);
    }

    [GeneratedRegex(@"interrupted at step (\d+) of 100000; resume with --resume")]
    private static partial Regex Interrupted();
}
