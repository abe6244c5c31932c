using System.CommandLine;
using Disentangle.Experiments;
using Disentangle.Runs;
using Disentangle.Tensors;

namespace Disentangle.Cli.Commands;

/// <summary><c>disentangle sweep FILE</c>: a grid of training runs, locally N at a time or as a Slurm job array
/// (written, submitted, followed with <c>--status</c>, resubmitted for the unfinished runs).</summary>
public static class SweepCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("sweep", "Expand a grid of 'train' options (e.g. method × latents × lambdaRatio × seed) into runs; run them locally, or write "
            + "(and --submit) a Slurm job array of the runs not done yet; --status shows each run's state.");
        var config = new Argument<string>("config") { Description = "sweep file: {\"name\": …, \"base\": {train options}, \"grid\": {\"key\": [values…]}}, or a sweep folder (its sweep.json; --root is then the folder above)" };
        var root = new Option<string>("--root") { Description = "folder that holds sweeps", DefaultValueFactory = _ => "runs" };
        var parallel = new Option<int>("--parallel") { Description = "runs trained at once (local sweep), each in a process of its own when more than 1 (output in the sweep folder's local-NNNN.out)", DefaultValueFactory = _ => 1 };
        var slurm = new Option<bool>("--slurm") { Description = "write sweep.slurm, a job array of the runs not done yet, instead of running" };
        var submit = new Option<bool>("--submit") { Description = "with --slurm: submit the array with sbatch and print the job id" };
        var status = new Option<bool>("--status") { Description = "show each run's state: pending, running (step, loss, ETA), done, failed (with the failing line), interrupted" };
        var launcher = new Option<string?>("--launcher") { Description = "what array tasks (and the run processes of --parallel N) run: a built Disentangle.Cli.dll or an installed 'disentangle' tool (default: this CLI's built dll under dotnet)" };
        var cpus = new Option<int>("--cpus-per-task") { Description = "CPUs per Slurm task, and threads per run", DefaultValueFactory = _ => 2 };
        var hours = new Option<double>("--hours") { Description = "Slurm time limit per run, hours", DefaultValueFactory = _ => 4 };
        var sbatchArgs = new Option<string[]>("--sbatch-arg") { Description = "an extra #SBATCH line, e.g. --sbatch-arg=--partition=gpu (repeatable: account, memory, qos)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "only list the runs and write their configs" };
        var index = new Option<int?>("--index") { Description = "train and evaluate only run INDEX of the grid (what each Slurm array task does)" };
        var fullGridBest = new Option<bool>("--full-grid-best") { Description = "score each cell's best-c run (by sampled MCC) on every grid image, as the paper scores its figures, where its checkpoints are still here; 'report --full-grid' then reads them" };
        command.Arguments.Add(config);
        foreach (var option in new Option[] { root, parallel, slurm, submit, status, launcher, cpus, hours, sbatchArgs, dryRun, index, fullGridBest }) command.Options.Add(option);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            var (spec, sweepRoot) = Resolve(result.GetValue(config)!, result.GetValue(root)!);
            var runner = new SweepRunner(spec, sweepRoot) { OnWarning = message => ProgressReporter.WriteLine($"warning: {message}") };
            if (result.GetValue(status)) return Status(runner);
            if (result.GetValue(fullGridBest)) return FullGridBest(runner);
            if (result.GetValue(index) is int only) return RunIndex(runner, only);
            if (result.GetValue(slurm) || result.GetValue(submit))
            {
                var options = new SlurmOptions(result.GetValue(cpus), result.GetValue(hours), result.GetValue(sbatchArgs) ?? []);
                options.Validate();                                                  // before anything is written
                return Slurm(runner, options, Launcher(result.GetValue(launcher)), result.GetValue(submit));
            }
            var plan = runner.WriteConfigs();
            Console.WriteLine($"sweep '{spec.Name}': {plan.Count} runs in {runner.Folder}");
            foreach (var (run, _) in plan) Console.WriteLine($"  {run.Index,4}  {run.Name}");
            int atOnce = result.GetValue(parallel);
            // Side by side, each run trains in a process of its own (RunProcess says why).
            return result.GetValue(dryRun) ? 0 : Local(runner, plan.Count, atOnce, atOnce > 1 ? Launcher(result.GetValue(launcher)) : null);
        }));
        return command;
    }

    private static int Local(SweepRunner runner, int runs, int parallel, SlurmLauncher? processes)
    {
        using var graceful = StopSignal.Graceful();
        var outcome = ProgressReporter.Run($"sweep {Path.GetFileName(runner.Folder)}", runs, progress =>
        {
            int done = 0;
            return runner.RunLocally(parallel, (name, scores) =>
            {
                ProgressReporter.WriteLine($"  {name}: MCC {scores.Mcc:F3} R {scores.R:F3}");
                progress.Report(Interlocked.Increment(ref done));
            }, StopSignal.Token, processes);
        });
        if (outcome.Failures.Count > 0)
        {
            Console.Error.WriteLine($"{outcome.Failures.Count} of {runs} runs failed (see runs/NAME/outcome.json); the others finished:");
            foreach (var failure in outcome.Failures) Console.Error.WriteLine($"  {failure.Name}: {failure.Message}");
        }
        if (StopSignal.Token.IsCancellationRequested)
        {
            Console.Error.WriteLine($"interrupted: {outcome.Interrupted} run(s) stopped at a step boundary with a checkpoint; run the same sweep command again to resume");
            return CommandRunner.InterruptedExitCode;
        }
        Console.WriteLine($"then: disentangle report {runner.Folder}");
        return outcome.Failures.Count == 0 ? 0 : outcome.Failures.All(f => f.Diverged) ? 3 : 2;
    }

    private static int RunIndex(SweepRunner runner, int index)
    {
        var plan = runner.Plan();
        if (index >= 0 && index < plan.Count)
            Console.WriteLine($"sweep {Path.GetFileName(runner.Folder)} run {index}: {plan[index].Run.Name}; {Parallelism.Describe()}; folder {plan[index].Options.Out}");
        using var graceful = StopSignal.Graceful();
        int steps = index >= 0 && index < plan.Count ? plan[index].Options.Steps : 0;
        var (name, _, scores) = runner.RunOne(index, entry => Console.WriteLine(TrainLogFormat.Line(entry, steps)), StopSignal.Token);
        Console.WriteLine($"  {index} {name}: MCC {scores.Mcc:F3} R {scores.R:F3}");
        return 0;
    }

    private static int Slurm(SweepRunner runner, SlurmOptions options, SlurmLauncher launcher, bool submit)
    {
        var array = runner.WriteSlurm(launcher, options);
        if (array.StillQueued.Count > 0)
            Console.WriteLine($"left out, still queued or running in Slurm: {ArrayIndices.Format(array.StillQueued)}");
        if (array.Script is null)
        {
            Console.WriteLine($"nothing to submit: every run of {runner.Folder} is done or queued (see: disentangle sweep {runner.Folder} --status)");
            return 0;
        }
        Console.WriteLine($"wrote {array.Script}: array {ArrayIndices.Format(array.Indices)} ({array.Indices.Count} runs not done yet)");
        if (!submit)
        {
            Console.WriteLine($"submit it with: sbatch {array.Script}");
            return 0;
        }
        string job = runner.Submit(array);
        Console.WriteLine($"submitted job {job}: array {ArrayIndices.Format(array.Indices)}; follow it with: disentangle sweep {runner.Folder} --status");
        return 0;
    }

    /// <summary>A sweep file and the root from --root, or a sweep folder (its sweep.json, and the folder above as root).</summary>
    private static (SweepSpec Spec, string Root) Resolve(string given, string root)
    {
        string path = Path.GetFullPath(given);
        if (!Directory.Exists(path)) return (SweepSpec.Load(path), root);
        string copy = Path.Combine(path, "sweep.json");
        if (!File.Exists(copy)) throw new FileNotFoundException($"'{given}' is a folder but not a sweep folder: it has no sweep.json.", copy);
        return (SweepSpec.Load(copy), Path.GetDirectoryName(path.TrimEnd('/'))!);
    }

    private static int Status(SweepRunner runner)
    {
        var runs = SweepStatus.Collect(runner.Folder, runner.Plan());
        Console.WriteLine($"sweep '{Path.GetFileName(runner.Folder)}' in {runner.Folder}: {runs.Count} runs");
        int width = runs.Max(r => r.Name.Length);
        foreach (var r in runs)
        {
            string progress = r.Step is long step ? $"step {step}/{r.Steps}" + (r.Loss is double loss ? $" loss {loss:G4}" : "")
                + (r.State == Experiments.RunState.Running && r.Eta is TimeSpan eta ? $" ETA {eta:hh\\:mm\\:ss}" : "") : "";
            Console.WriteLine($"  {r.Index,4}  {r.Name.PadRight(width)}  {r.State.ToString().ToLowerInvariant(),-11} {progress,-36} {r.Detail}".TrimEnd());
        }
        Console.WriteLine("summary: " + string.Join(", ", runs.GroupBy(r => r.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}")));
        var left = SweepStatus.TimeLeft(runs);
        if (left.Runs > 0 && left.Training is TimeSpan training && left.PerRun is TimeSpan perRun && left.Fastest is TimeSpan fastest
            && left.TrainingAtFastest is TimeSpan atFastest)
            Console.WriteLine($"left: {left.Runs} run(s), about {training.TotalHours:F1} h of training one run at a time (the done runs' median is "
                + $"{perRun.TotalMinutes:F1} min; at the fastest done run's {fastest.TotalMinutes:F1} min, as on a quiet machine, {atFastest.TotalHours:F1} h; "
                + "evaluation comes on top; runs at once divide it)");
        if (runs.Any(r => r.State is Experiments.RunState.Failed or Experiments.RunState.Interrupted or Experiments.RunState.Stopped))
            Console.WriteLine($"run the unfinished ones again (stopped runs resume): disentangle sweep {runner.Folder} --slurm --submit (or without --slurm --submit, here)");
        return 0;
    }

    private static int FullGridBest(SweepRunner runner)
    {
        var unfinished = runner.Plan().Select(p => p.Options).Where(options => !SweepRunner.IsDone(options));
        var runs = FullGridBestRuns.Score(runner.Folder, unfinished, run => ProgressReporter.WriteLine($"scoring {Path.GetFileName(run)} on the full grid"));
        var here = MachineKind.Current();
        foreach (var r in runs)
            Console.WriteLine($"  {string.Join(' ', new[] { r.Method, r.Setting }.Where(part => part.Length > 0))} rho={r.Rho:G} noise={r.LatentNoise:G} seed={r.Seed}: c={r.C:G} sampled MCC {r.SampledMcc:F3}, "
                + (r.FullGridMcc is double mcc ? $"full grid {mcc:F3}"
                    : r.CellFinished ? $"full grid - (kept without its checkpoints: train it again to score it{(MachineRecord.RetrainingDiffers(new RunFolder(r.Run), here) is { } differs ? $"; but {differs}" : "")})"
                    : "full grid - (its cell is not finished: the best c so far)"));
        int lost = runs.Count(r => r.FullGridMcc is null), open = runs.Count(r => !r.CellFinished);
        Console.WriteLine($"{runs.Count - lost} of {runs.Count} best-c runs scored on the full grid{(open > 0 ? $" ({open} in cells not finished: run this again when the sweep is)" : "")}; then: disentangle report {runner.Folder} --full-grid");
        return 0;
    }

    private static SlurmLauncher Launcher(string? given)
    {
        string dotnet = Environment.ProcessPath is { } host && Path.GetFileName(host) == "dotnet" ? host
            : SlurmLauncher.FindOnPath("dotnet") ?? "dotnet";
        return given is null ? SlurmLauncher.ForAssembly(dotnet, typeof(CliApp).Assembly.Location) : SlurmLauncher.FromPath(given, dotnet);
    }
}
