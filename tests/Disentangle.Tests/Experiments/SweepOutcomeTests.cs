using System.Text.Json.Nodes;
using Disentangle.Experiments;
using Disentangle.Io;
using Disentangle.Training;

namespace Disentangle.Tests.Experiments;

/// <summary>What a sweep records about its runs: done, failed, interrupted; what --status, a resubmission and report make of it.</summary>
public sealed class SweepOutcomeTests
{
    private static readonly JsonObject Fast = JsonNode.Parse("""{"inputs": "linear", "steps": 12, "evalEvery": 6, "logEvery": 3, "evalSamples": 200, "validationTasks": 4}""")!.AsObject();

    private static string Root() => Directory.CreateTempSubdirectory("disentangle-outcome").FullName;

    [Fact]
    public void A_failed_run_is_recorded_the_others_finish_and_the_failures_are_returned()
    {
        // learning rate 1e9 breaks the run at run time (no option check can know); the other run must still finish
        var spec = new SweepSpec("fail", Fast, [new("learningRate", new JsonArray(1e9, 1e-3))]);
        var runner = new SweepRunner(spec, Root());
        var finished = new List<string>();
        var result = runner.RunLocally(parallel: 1, (name, _) => finished.Add(name));
        var plan = runner.Plan();
        var failure = Assert.Single(result.Failures);
        Assert.Equal(plan[0].Run.Name, failure.Name);
        Assert.Equal([plan[1].Run.Name], finished);
        Assert.Equal(RunState.Failed, RunOutcome.Read(plan[0].Options.Out)!.State);
        Assert.Equal(failure.Message, RunOutcome.Read(plan[0].Options.Out)!.Message);
        Assert.DoesNotContain("(Parameter", failure.Message);
        Assert.True(SweepRunner.IsDone(plan[1].Options));
        Assert.Equal([plan[0].Run.Name], SweepReport.Missing(runner.Folder));
    }

    [Fact]
    public void Status_tells_done_interrupted_and_pending_runs_and_a_resubmission_holds_only_the_unfinished_ones()
    {
        var runner = new SweepRunner(new SweepSpec("status", Fast, [new("seed", new JsonArray(0, 1, 2))]), Root());
        runner.WriteConfigs();
        runner.RunOne(0);
        using var stop = new CancellationTokenSource();
        var interrupted = Assert.Throws<TrainingInterruptedException>(() => runner.RunOne(1, entry => stop.Cancel(), stop.Token));
        Assert.Equal(3, interrupted.Step);                                    // the first log line asked to stop: step 3 of 12
        var runs = SweepStatus.Collect(runner.Folder, runner.Plan());
        Assert.Equal([RunState.Done, RunState.Interrupted, RunState.Pending], runs.Select(r => r.State));
        Assert.Contains("MCC", runs[0].Detail);
        Assert.Equal("interrupted at step 3 of 12; resume with --resume", runs[1].Detail);
        Assert.Equal(3, runs[1].Step);
        Assert.False(File.Exists(Path.Combine(runner.Plan()[1].Options.Out, "eval-train-uniform.json")));

        var array = runner.WriteSlurm(SlurmLauncher.ForAssembly("/usr/bin/dotnet", "/opt/d/Disentangle.Cli.dll"), new SlurmOptions());
        Assert.Equal([1, 2], array.Indices);
        Assert.Contains("#SBATCH --array=1-2", File.ReadAllText(array.Script!));

        runner.RunOne(1);                                                     // the array task of index 1: resumes at step 3
        Assert.Equal(12, Checkpoint.Load(Path.Combine(runner.Plan()[1].Options.Out, "checkpoint.safetensors")).Step);
        Assert.Equal(Enumerable.Range(1, 4).Select(i => 3.0 * i), CsvTable.Read(Path.Combine(runner.Plan()[1].Options.Out, "log.csv")).Numbers("step"));
        runner.RunOne(2);
        Assert.All(SweepStatus.Collect(runner.Folder, runner.Plan()), r => Assert.Equal(RunState.Done, r.State));
        Assert.Null(runner.WriteSlurm(SlurmLauncher.ForAssembly("/usr/bin/dotnet", "/opt/d/Disentangle.Cli.dll"), new SlurmOptions()).Script);
        Assert.Empty(SweepReport.Missing(runner.Folder));
    }

    [Fact]
    public void A_sweep_run_again_leaves_its_done_runs_and_their_outcomes_untouched()
    {
        var runner = new SweepRunner(new SweepSpec("again", Fast, [new("seed", new JsonArray(0))]), Root());
        runner.RunLocally(parallel: 1);
        string folder = runner.Plan()[0].Options.Out;
        var files = Directory.GetFiles(folder).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        var first = RunOutcome.Read(folder)!;
        var scores = new List<Disentangle.Metrics.DisentanglementScores>();
        runner.RunLocally(parallel: 1, (_, s) => scores.Add(s));
        Assert.Equal(first, RunOutcome.Read(folder));   // the outcome's time too: a committed run does not change
        Assert.Equal(files, Directory.GetFiles(folder).ToDictionary(f => f, File.GetLastWriteTimeUtc));
        Assert.Equal(JsonFiles.Read<Disentangle.Runs.EvaluationResult>(Path.Combine(folder, "eval-best-uniform.json")).Scores.Mcc, Assert.Single(scores).Mcc);
    }

    [Fact]
    public void Status_reads_step_loss_and_eta_from_a_log_being_written()
    {
        var runner = new SweepRunner(new SweepSpec("live", Fast, [new("seed", new JsonArray(0))]), Root());
        var options = runner.Plan()[0].Options;
        Directory.CreateDirectory(options.Out);
        File.WriteAllText(Path.Combine(options.Out, "log.csv"),
            "step,outer_loss,support_size,inner_epochs,inner_gap,inner_converged,steps_per_s,validation_loss,mcc,r\n"
            + "3,0.5,2,10,1e-7,1,2,,,\n6,0.25,2,10,1e-7,1,3,0.2,0.8,0.9\n7,0.1");                      // a row half written
        var run = Assert.Single(SweepStatus.Collect(runner.Folder, runner.Plan()));
        Assert.Equal(RunState.Running, run.State);
        Assert.Equal(6, run.Step);
        Assert.Equal(0.25, run.Loss);
        Assert.Equal(TimeSpan.FromSeconds(2), run.Eta);                       // (12 − 6) steps at 3 steps/s
        Assert.Equal(TimeSpan.FromSeconds(2.5), run.Trained);                 // 3 steps at 2 steps/s, then 3 at 3
    }

    [Fact]
    public void The_time_a_sweep_still_needs_is_the_running_runs_eta_plus_the_done_runs_median_or_fastest_for_the_others()
    {
        RunStatus Run(RunState state, double trainedMinutes, double? etaMinutes = null) => new(0, "r", state, null, 100, null,
            etaMinutes is double eta ? TimeSpan.FromMinutes(eta) : null, "", trainedMinutes > 0 ? TimeSpan.FromMinutes(trainedMinutes) : null);
        var left = SweepStatus.TimeLeft([Run(RunState.Done, 8), Run(RunState.Done, 12), Run(RunState.Done, 10), Run(RunState.Running, 4, etaMinutes: 6),
            Run(RunState.Pending, 0), Run(RunState.Interrupted, 7), Run(RunState.Failed, 0)]);
        Assert.Equal(4, left.Runs);
        Assert.Equal(TimeSpan.FromMinutes(10), left.PerRun);                               // the median of 8, 10, 12
        Assert.Equal(TimeSpan.FromMinutes(6 + 10 + 3 + 10), left.Training);                // ETA; median; what is left of it; median
        Assert.Equal(TimeSpan.FromMinutes(8), left.Fastest);
        Assert.Equal(TimeSpan.FromMinutes(6 + 8 + 1 + 8), left.TrainingAtFastest);       // ETA; fastest; what is left of it; fastest
        Assert.Null(SweepStatus.TimeLeft([Run(RunState.Pending, 0)]).Training);            // nothing done: no estimate
    }

    [Fact]
    public void A_task_that_slurm_ended_without_an_outcome_is_failed_with_slurms_state_and_the_failing_line()
    {
        var runner = new SweepRunner(new SweepSpec("killed", Fast, [new("seed", new JsonArray(0, 1))]), Root());
        var plan = runner.Plan();
        Directory.CreateDirectory(plan[0].Options.Out);
        File.WriteAllText(Path.Combine(plan[0].Options.Out, "log.csv"), "step,outer_loss,steps_per_s\n3,0.5,2\n");
        Directory.CreateDirectory(runner.Folder);
        File.WriteAllText(Path.Combine(runner.Folder, "slurm-40_0.out"),
            "step 3/12 loss 0.5\nslurmstepd: error: Detected 1 oom_kill event in StepId=40.batch. Some of the step tasks have been OOM Killed.\n");
        var lastJob = new Dictionary<int, string> { [0] = "40", [1] = "40" };
        var runs = SweepStatus.Collect(runner.Folder, plan, lastJob,
            [new SlurmTaskState("40", 0, "OUT_OF_MEMORY", "0:125", "sacct"), new SlurmTaskState("40", 1, "PENDING", "0:0", "scontrol")]);
        Assert.Equal(RunState.Failed, runs[0].State);
        Assert.Contains("OUT_OF_MEMORY (exit 0:125, from sacct): slurmstepd: error: Detected 1 oom_kill event", runs[0].Detail);
        Assert.Equal(3, runs[0].Step);
        Assert.Equal((RunState.Pending, "job 40_1 pending"), (runs[1].State, runs[1].Detail));
    }

    [Fact]
    public void A_resubmission_leaves_out_queued_runs_and_refuses_a_sweep_file_that_changes_what_they_run()
    {
        string root = Root();
        var launcher = SlurmLauncher.ForAssembly("/usr/bin/dotnet", "/opt/d/Disentangle.Cli.dll");
        var first = new SweepRunner(new SweepSpec("q", Fast, [new("seed", new JsonArray(0, 1, 2))]), root);
        Assert.Equal([0, 1, 2], first.WriteSlurm(launcher, new SlurmOptions(), new HashSet<int>()).Indices);
        var array = first.WriteSlurm(launcher, new SlurmOptions(), new HashSet<int> { 1 });
        Assert.Equal([0, 2], array.Indices);
        Assert.Equal([1], array.StillQueued);
        var extended = new SweepRunner(new SweepSpec("q", Fast, [new("seed", new JsonArray(0, 1, 2, 3))]), root);
        Assert.Equal([0, 2, 3], extended.WriteSlurm(launcher, new SlurmOptions(), new HashSet<int> { 1 }).Indices);   // index 1 still runs seed 1
        var reordered = new SweepRunner(new SweepSpec("q", Fast, [new("seed", new JsonArray(3, 2, 1, 0))]), root);
        var e = Assert.Throws<InvalidOperationException>(() => reordered.WriteSlurm(launcher, new SlurmOptions(), new HashSet<int> { 1 }));
        Assert.Contains("array indices 1 are still queued", e.Message);
    }
}
