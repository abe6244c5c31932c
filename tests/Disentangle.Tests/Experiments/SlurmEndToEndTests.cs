using System.Diagnostics;
using System.Text.RegularExpressions;
using Disentangle.Io;
using Disentangle.Tests.Cli;

namespace Disentangle.Tests.Experiments;

/// <summary>docs/slurm.md step by step on a real scheduler (the local cluster of scripts/local-slurm.sh): submit a sweep's
/// job array, follow it, stop one task with SIGTERM as a time limit does, resubmit the unfinished run, report.</summary>
public sealed partial class SlurmEndToEndTests
{
    // Long enough that run 0 is still training when the test reads its status and stops it, on a loaded machine too
    // (3,000 linear steps take about 2 s on a Zen 5).
    private const int Steps = 12000;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(150);

    private static string Cli(params string[] arguments)
    {
        var (code, output) = CliProcess.Run(Patience, arguments);
        Assert.True(code == 0, $"disentangle {string.Join(' ', arguments)} exited {code}:\n{output}");
        return output;
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Patience, $"timed out waiting for {what}");
            Thread.Sleep(100);
        }
    }

    private static bool Queued(string job) => LocalSlurm.Command("squeue", "-h", "-j", job) is (0, var lines) && lines.Trim().Length > 0;

    private static int LogRows(string run) =>
        File.Exists(Path.Combine(run, "log.csv")) ? File.ReadAllLines(Path.Combine(run, "log.csv")).Length - 1 : 0;

    [SlurmFact]
    public void A_job_array_runs_the_sweep_a_sigterm_checkpoints_a_resubmission_resumes_it_and_the_report_has_every_seed()
    {
        string root = Directory.CreateTempSubdirectory("disentangle-slurm-e2e").FullName, file = Path.Combine(root, "e2e.json");
        File.WriteAllText(file, $$$"""
            {"name": "e2e", "base": {"inputs": "linear", "steps": {{{Steps}}}, "evalEvery": 1000, "logEvery": 25, "evalSamples": 200, "validationTasks": 4},
             "grid": {"seed": [0, 1, 2]}}
            """);
        string runs = Path.Combine(root, "runs"), sweep = Path.Combine(runs, "e2e"), run0 = Path.Combine(sweep, "runs", "seed=0");

        // 1. Submit the array: one task per run, 1 CPU (and so 1 thread) each, an extra #SBATCH line.
        string submitted = Cli("sweep", file, "--root", runs, "--slurm", "--submit", "--cpus-per-task", "1", "--hours", "0.5", "--sbatch-arg=--comment=disentangle-e2e");
        string job = Submitted().Match(submitted).Groups[1].Value;
        Assert.True(job.Length > 0, submitted);
        Assert.Contains("#SBATCH --array=0-2", File.ReadAllText(Path.Combine(sweep, "sweep.slurm")));
        Assert.Contains("Comment=disentangle-e2e", LocalSlurm.Command("scontrol", "show", "job", job).Output);

        // 2. Follow it: run 0 logs its steps while it runs.
        WaitUntil(() => LogRows(run0) > 0, "run 0's first log line");
        string status = Cli("sweep", sweep, "--status");
        Assert.True(Regex.IsMatch(status, $@"seed=0\s+running\s+step \d+/{Steps} loss \S+ ETA"), status);

        // 3. Stop task 0 with SIGTERM, the signal Slurm sends at a time limit (--signal=B:TERM reaches the batch process).
        Assert.Equal(0, LocalSlurm.Command("scancel", "--signal=TERM", "--full", $"{job}_0").Code);
        WaitUntil(() => !Queued(job), $"job {job} to finish");
        string first = File.ReadAllText(Path.Combine(sweep, $"slurm-{job}_0.out"));
        var interrupted = Interrupted().Match(first);
        Assert.True(interrupted.Success, first);
        long stoppedAt = long.Parse(interrupted.Groups[1].Value);
        Assert.InRange(stoppedAt, 1, Steps - 1);
        Assert.Equal(stoppedAt, Checkpoint.Load(Path.Combine(run0, "checkpoint.safetensors")).Step);
        Assert.False(File.Exists(Path.Combine(run0, "eval-train-uniform.json")));
        Assert.Contains("ExitCode=143:0", LocalSlurm.Command("scontrol", "show", "job", $"{job}_0").Output);
        string task1 = File.ReadAllText(Path.Combine(sweep, $"slurm-{job}_1.out"));
        Assert.Contains("threads: 1 (SLURM_CPUS_PER_TASK", task1);                   // --cpus-per-task became the thread count
        Assert.Contains($"step 25/{Steps} loss", task1);                               // each task prints its run's log lines
        status = Cli("sweep", sweep, "--status");
        Assert.Matches($@"seed=0\s+interrupted\s+.*interrupted at step {stoppedAt} of {Steps}", status);
        Assert.Matches($@"seed=1\s+done\s+step {Steps}/{Steps} .*MCC", status);
        Assert.Matches(@"seed=2\s+done", status);

        // 4. Resubmit: an array of only the unfinished run, which resumes from its checkpoint.
        submitted = Cli("sweep", sweep, "--slurm", "--submit", "--cpus-per-task", "1", "--hours", "0.5");
        string again = Submitted().Match(submitted).Groups[1].Value;
        Assert.Contains("array 0 (1 runs not done yet)", submitted);
        Assert.Contains("#SBATCH --array=0\n", File.ReadAllText(Path.Combine(sweep, "sweep.slurm")));
        WaitUntil(() => !Queued(again), $"job {again} to finish");
        string resumed = File.ReadAllText(Path.Combine(sweep, $"slurm-{again}_0.out"));
        long firstStep = long.Parse(FirstStep().Match(resumed).Groups[1].Value);
        Assert.InRange(firstStep, stoppedAt + 1, stoppedAt + 25);                    // it went on from the checkpoint
        Assert.Equal(Steps, Checkpoint.Load(Path.Combine(run0, "checkpoint.safetensors")).Step);
        Assert.Equal(Enumerable.Range(1, Steps / 25).Select(i => 25.0 * i), CsvTable.Read(Path.Combine(run0, "log.csv")).Numbers("step"));
        Assert.Contains("summary: 3 done", Cli("sweep", sweep, "--status"));
        Assert.Contains("nothing to submit", Cli("sweep", sweep, "--slurm"));

        // 5. The figure: every run's results, three seeds in the one cell, none missing.
        string report = Cli("report", sweep);
        Assert.Contains("every cell has 3 seed(s)", report);
        Assert.DoesNotContain("missing", report);
        Assert.True(File.Exists(Path.Combine(sweep, "report.png")));
    }

    [GeneratedRegex(@"submitted job (\d+)")]
    private static partial Regex Submitted();

    [GeneratedRegex(@"interrupted at step (\d+) of \d+; resume with --resume")]
    private static partial Regex Interrupted();

    [GeneratedRegex(@"(?m)^step (\d+)/\d+")]
    private static partial Regex FirstStep();
}
