using System.Globalization;
using Disentangle.Io;
using Disentangle.Runs;
using Disentangle.Training;

namespace Disentangle.Experiments;

/// <summary>One run's line of <c>sweep --status</c>.</summary>
/// <param name="Index">The run's index (its Slurm array index).</param>
/// <param name="Name">The run's folder name.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Step">The last logged step, when it has started.</param>
/// <param name="Steps">The steps it is to train.</param>
/// <param name="Loss">The outer loss of the last logged step.</param>
/// <param name="Eta">Time left at the last logged rate.</param>
/// <param name="Detail">Scores when done, the failing line when failed, the Slurm job and state otherwise.</param>
/// <param name="Trained">Training time so far, from the log (each logged window's steps over its steps/s).</param>
public sealed record RunStatus(int Index, string Name, RunState State, long? Step, int Steps, double? Loss, TimeSpan? Eta, string Detail,
    TimeSpan? Trained = null);

/// <summary>What a sweep still needs: runs not done, and the training time they need at the done runs' median.</summary>
/// <param name="Runs">Runs not done (pending, running, stopped, interrupted or failed).</param>
/// <param name="PerRun">The median training time of the done runs (null when none is done).</param>
/// <param name="Training">Training time left: the running runs' ETA plus the median for every other run not done.</param>
/// <param name="Fastest">The shortest training time of a done run (a run trained on an otherwise quiet machine).</param>
/// <param name="TrainingAtFastest">Training time left at that pace: the running runs' ETA plus the fastest for every other run.</param>
public sealed record SweepTimeLeft(int Runs, TimeSpan? PerRun, TimeSpan? Training, TimeSpan? Fastest = null, TimeSpan? TrainingAtFastest = null);

/// <summary>The state of every run of a sweep, from its run folders (log, outcome, metrics) and, for a submitted sweep,
/// from Slurm (<c>scontrol</c>, <c>sacct</c> where it answers) and the tasks' output files.</summary>
public static class SweepStatus
{
    /// <summary>A run that logged within this time, with no scheduler to ask, counts as running (else as stopped).</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMinutes(10);

    /// <summary>The status of each run of <paramref name="plan"/> in <paramref name="sweepFolder"/>.</summary>
    public static IReadOnlyList<RunStatus> Collect(string sweepFolder, IReadOnlyList<(SweepRun Run, TrainOptions Options)> plan)
    {
        var lastJob = SlurmJobLog.LastJobByIndex(sweepFolder);
        return Collect(sweepFolder, plan, lastJob, [.. lastJob.Values.Distinct().SelectMany(job => SlurmScheduler.States(job).Values)]);
    }

    /// <summary>The status of each run, given the last job of each index and the task states Slurm reported.</summary>
    internal static IReadOnlyList<RunStatus> Collect(string sweepFolder, IReadOnlyList<(SweepRun Run, TrainOptions Options)> plan,
        IReadOnlyDictionary<int, string> lastJob, IReadOnlyList<SlurmTaskState> states)
    {
        var slurm = states.Where(s => lastJob.TryGetValue(s.Index, out var job) && job == s.JobId).ToDictionary(s => s.Index);
        return plan.Select(p => Of(sweepFolder, p.Run, p.Options, lastJob.GetValueOrDefault(p.Run.Index), slurm.GetValueOrDefault(p.Run.Index))).ToArray();
    }

    private static RunStatus Of(string sweepFolder, SweepRun run, TrainOptions options, string? job, SlurmTaskState? task)
    {
        string folder = options.Out;
        var outcome = RunOutcome.Read(folder);
        var (step, loss, rate, written, trained) = ReadLog(Path.Combine(folder, "log.csv"));
        TimeSpan? eta = step is long s && rate is > 0 ? TimeSpan.FromSeconds((options.Steps - s) / rate.Value) : null;
        RunStatus Status(RunState state, string detail) => new(run.Index, run.Name, state, step, options.Steps, loss, eta, detail, trained);
        string where = job is null ? "" : $"job {job}_{run.Index}";
        if (task is { IsLive: true })
            return Status(task.State == "PENDING" ? RunState.Pending : RunState.Running, $"{where} {task.State.ToLowerInvariant()}");
        switch (outcome?.State)
        {
            case RunState.Done: return Status(RunState.Done, Scores(folder));
            case RunState.Failed: return Status(RunState.Failed, outcome.Message);
            case RunState.Interrupted: return Status(RunState.Interrupted, outcome.Message);
        }
        if (task is not null)   // the scheduler says the task ended, but the run left no outcome: it was killed
            return Status(RunState.Failed, $"{where} {task.State} (exit {task.ExitCode}, from {task.Source}): {FailingLine(sweepFolder, task)}");
        if (step is null && !File.Exists(Path.Combine(folder, "checkpoint.safetensors")))
            return Status(RunState.Pending, job is null ? "not started" : $"{where} not started");
        bool recent = written is DateTime w && DateTime.UtcNow - w < Quiet;
        return Status(recent ? RunState.Running : RunState.Stopped, recent ? where.Trim() : $"no log line for {Quiet.TotalMinutes:F0} min; resumes when run again");
    }

    /// <summary>The training time a sweep still needs (in run-time: runs at once divide it).</summary>
    public static SweepTimeLeft TimeLeft(IReadOnlyList<RunStatus> runs)
    {
        var done = runs.Where(r => r.State == RunState.Done && r.Trained is not null).Select(r => r.Trained!.Value.TotalSeconds).Order().ToArray();
        var left = runs.Where(r => r.State != RunState.Done).ToArray();
        if (done.Length == 0) return new SweepTimeLeft(left.Length, null, null);
        double median = done.Length % 2 == 1 ? done[done.Length / 2] : (done[done.Length / 2 - 1] + done[done.Length / 2]) / 2;
        TimeSpan At(double perRun) => TimeSpan.FromSeconds(left.Sum(r => r.State == RunState.Running && r.Eta is TimeSpan eta ? eta.TotalSeconds
            : Math.Max(0, perRun - (r.Trained?.TotalSeconds ?? 0))));
        return new SweepTimeLeft(left.Length, TimeSpan.FromSeconds(median), At(median), TimeSpan.FromSeconds(done[0]), At(done[0]));
    }

    /// <summary>Step, outer loss and rate of the last complete row of a log that may be being written, when it was
    /// written, and the training time so far: Σ over complete rows of (its step − the previous row's) / its steps/s.</summary>
    private static (long? Step, double? Loss, double? Rate, DateTime? Written, TimeSpan? Trained) ReadLog(string path)
    {
        if (!File.Exists(path)) return (null, null, null, null, null);
        string[] lines;
        try { lines = File.ReadAllText(path).Split('\n'); }
        catch (IOException) { return (null, null, null, null, null); }
        var header = lines[0].Split(',');
        int stepColumn = Array.IndexOf(header, "step"), lossColumn = Array.IndexOf(header, "outer_loss"), rateColumn = Array.IndexOf(header, "steps_per_s");
        (long? Step, double? Loss, double? Rate) last = (null, null, null);
        double seconds = 0;
        long previous = 0;
        // The last line is complete only if the file ends with a newline (Split leaves "" after it).
        for (int i = 1; i <= lines.Length - 2; i++)
        {
            var cells = lines[i].TrimEnd('\r').Split(',');
            if (cells.Length != header.Length || stepColumn < 0) continue;
            if (!long.TryParse(cells[stepColumn], NumberStyles.Integer, CultureInfo.InvariantCulture, out long step)) continue;
            last = (step, Number(cells, lossColumn), Number(cells, rateColumn));
            if (last.Rate is > 0 && step > previous) seconds += (step - previous) / last.Rate.Value;
            previous = step;
        }
        return (last.Step, last.Loss, last.Rate, File.GetLastWriteTimeUtc(path), last.Step is null ? null : TimeSpan.FromSeconds(seconds));
    }

    private static double? Number(string[] cells, int column) =>
        column >= 0 && double.TryParse(cells[column], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : null;

    private static string Scores(string folder)
    {
        try
        {
            var scores = SweepResults.UniformEvaluations(new RunFolder(folder)).FirstOrDefault()?.Scores;
            if (scores is null) return "not evaluated";
            return string.Create(CultureInfo.InvariantCulture, $"MCC {scores.Mcc:F3} R {scores.R:F3}");
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentOutOfRangeException) { return "not evaluated"; }
    }

    /// <summary>The line of a task's Slurm output that says why it failed: the last <c>error</c> line, else the last line.</summary>
    public static string FailingLine(string sweepFolder, SlurmTaskState task)
    {
        string path = SlurmScript.OutputFile(sweepFolder, task.JobId, task.Index);
        if (!File.Exists(path)) return $"no output file {Path.GetFileName(path)}";
        var lines = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        return lines.LastOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.Contains("Exception", StringComparison.Ordinal))
            ?? lines.LastOrDefault() ?? $"{Path.GetFileName(path)} is empty";
    }
}
