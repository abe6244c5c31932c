using System.Collections.Concurrent;
using Disentangle.Data;
using Disentangle.Data.Latents;
using Disentangle.Data.Tasks;
using Disentangle.Io;
using Disentangle.Metrics;
using Disentangle.Runs;
using Disentangle.Tensors;
using Disentangle.Training;

namespace Disentangle.Experiments;

/// <summary>A run of a sweep that failed: its name, the error, and whether training diverged.</summary>
public sealed record SweepFailure(string Name, string Message, bool Diverged);

/// <summary>What a local sweep did: the runs that failed, and how many were interrupted by a stop request.</summary>
public sealed record SweepResult(IReadOnlyList<SweepFailure> Failures, int Interrupted);

/// <summary>A job array to submit: its script (null when there is nothing to run), its indices, and the indices left out
/// because Slurm still holds them (pending or running).</summary>
public sealed record SlurmArray(string? Script, IReadOnlyList<int> Indices, IReadOnlyList<int> StillQueued);

/// <summary>Runs a sweep of <c>train</c> configurations: writes one config per run, then either trains and evaluates them
/// locally (N at a time, each resumable) or writes a Slurm job-array script of the runs not done yet.</summary>
public sealed class SweepRunner
{
    private readonly SweepSpec _spec;
    private readonly string _folder;
    private readonly SweepEvaluations _evaluations;

    /// <summary>Prepares the sweep in <paramref name="root"/>/<c>name</c>.</summary>
    /// <exception cref="InvalidDataException">The sweep's name is not a plain folder name.</exception>
    public SweepRunner(SweepSpec spec, string root)
    {
        SweepSpec.CheckName(spec.Name, "Sweep");
        _spec = spec;
        _folder = Path.GetFullPath(Path.Combine(root, spec.Name));
        _evaluations = new SweepEvaluations(spec.FullGrid);
    }

    /// <summary>The sweep folder (configs/, runs/, sweep.json, sweep.slurm).</summary>
    public string Folder => _folder;

    /// <summary>Receives what a run should be told but does not stop it (a resume on another kind of machine:
    /// <see cref="Runs.MachineRecord"/>); the CLI prints it.</summary>
    public Action<string>? OnWarning { get; set; }

    /// <summary>The copy of the sweep file beside the runs (what array tasks and <c>--status</c> read).</summary>
    public string SpecFile => Path.Combine(_folder, "sweep.json");

    /// <summary>The runs with their full, validated options (each writes to <c>runs/NAME</c>).</summary>
    /// <exception cref="InvalidDataException">A run's config has an unknown key, a bad value, or an unknown latent or
    /// coefficient distribution.</exception>
    public IReadOnlyList<(SweepRun Run, TrainOptions Options)> Plan()
    {
        string runs = Path.Combine(_folder, "runs");
        var parsed = new HashSet<(string, string)>();   // a Gaussian over the grid takes a while to build: once per name
        return _spec.Expand().Select(run =>
        {
            var options = ConfigFile.Merge(new TrainOptions(), run.Config, $"sweep run {run.Index} ({run.Name})")
                with { Out = Path.GetFullPath(Path.Combine(runs, run.Name)) };
            if (Path.GetDirectoryName(options.Out) != runs)
                throw new InvalidDataException($"sweep run {run.Index}: its folder name '{run.Name}' would leave {runs}.");
            options.Validate();
            try
            {
                if (parsed.Add((options.Latents, options.Coefficients)))   // names checked before anything is written (--dry-run too)
                {
                    LatentDistributions.Parse(options.Latents);
                    TaskCoefficientSamplers.Parse(options.Coefficients);
                }
            }
            catch (ArgumentException e) { throw new InvalidDataException($"sweep run {run.Index} ({run.Name}): {e.Message}", e); }
            return (run, options);
        }).ToArray();
    }

    /// <summary>Writes <c>configs/NNNN.json</c> for every run and the sweep file's copy; returns the plan.</summary>
    public IReadOnlyList<(SweepRun Run, TrainOptions Options)> WriteConfigs()
    {
        var plan = Plan();
        Directory.CreateDirectory(Path.Combine(_folder, "configs"));
        foreach (var (run, options) in plan) ConfigFile.Save(Path.Combine(_folder, "configs", $"{run.Index:D4}.json"), options);
        _spec.Save(SpecFile);
        return plan;
    }

    /// <summary>Whether a run is trained to its last step and evaluated (its outcome says done): by its checkpoint's step,
    /// or, for a run kept without its checkpoints (<see cref="RunFolder.IsKept"/>), by its last checkpoint's evaluation.</summary>
    public static bool IsDone(TrainOptions options)
    {
        var folder = new RunFolder(options.Out);
        return RunOutcome.Read(folder.Path)?.State == RunState.Done && folder.TrainedSteps() >= options.Steps;
    }

    /// <summary>Validates <paramref name="options"/>, then writes the configs, the sweep file's copy and <c>sweep.slurm</c>,
    /// an array of the runs not done yet, leaving out those Slurm still holds from an earlier submission. Array index i runs
    /// <c>disentangle sweep sweep.json --index i</c> (the same train + evaluate as a local run; an interrupted run resumes).</summary>
    /// <exception cref="ArgumentException">A Slurm option is invalid (nothing is written).</exception>
    /// <exception cref="InvalidOperationException">The sweep file changed what a still-queued index runs.</exception>
    public SlurmArray WriteSlurm(SlurmLauncher launcher, SlurmOptions options)
    {
        var lastJob = SlurmJobLog.LastJobByIndex(_folder);
        var queued = lastJob.Values.Distinct().SelectMany(job => SlurmScheduler.States(job).Values)
            .Where(s => s.IsLive && lastJob.GetValueOrDefault(s.Index) == s.JobId).Select(s => s.Index).ToHashSet();
        return WriteSlurm(launcher, options, queued);
    }

    /// <summary><see cref="WriteSlurm(SlurmLauncher, SlurmOptions)"/>, given the indices Slurm still holds.</summary>
    internal SlurmArray WriteSlurm(SlurmLauncher launcher, SlurmOptions options, IReadOnlySet<int> queued)
    {
        options.Validate();
        CheckQueuedRunsUnchanged(queued);
        var plan = WriteConfigs();
        var indices = plan.Where(p => !IsDone(p.Options) && !queued.Contains(p.Run.Index)).Select(p => p.Run.Index).ToArray();
        if (indices.Length == 0) return new SlurmArray(null, [], [.. queued.Order()]);
        var path = Path.Combine(_folder, "sweep.slurm");
        string script = SlurmScript.Write(_spec, indices, _folder, SpecFile, Path.GetDirectoryName(_folder)!, launcher, options);
        Io.AtomicFile.Write(path, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(script)));
        return new SlurmArray(path, indices, [.. queued.Order()]);
    }

    /// <summary>Queued tasks read <c>sweep.json</c> when they start: refuses a new sweep file that changes what they run.</summary>
    private void CheckQueuedRunsUnchanged(IReadOnlySet<int> queued)
    {
        if (queued.Count == 0 || !File.Exists(SpecFile)) return;
        var before = SweepSpec.Load(SpecFile).Expand();
        var now = _spec.Expand();
        var changed = queued.Where(i => i >= before.Count || i >= now.Count || before[i].Name != now[i].Name
            || before[i].Config.ToJsonString() != now[i].Config.ToJsonString()).Order().ToArray();
        if (changed.Length > 0)
            throw new InvalidOperationException($"Sweep '{_spec.Name}': array indices {ArrayIndices.Format(changed)} are still queued or running in Slurm "
                + "and the changed sweep file would change what they run; wait for them or scancel them, then submit again.");
    }

    /// <summary>Submits the array written by <see cref="WriteSlurm(SlurmLauncher, SlurmOptions)"/> with <c>sbatch</c> and records the job in
    /// <c>slurm-jobs.tsv</c>; returns the job id.</summary>
    /// <exception cref="InvalidOperationException">sbatch is missing or refused the script.</exception>
    public string Submit(SlurmArray array)
    {
        ArgumentNullException.ThrowIfNull(array.Script);
        string job = SlurmScheduler.Submit(array.Script);
        SlurmJobLog.Append(_folder, new SlurmSubmission(job, array.Indices, DateTimeOffset.UtcNow));
        return job;
    }

    /// <summary>Trains and evaluates every run, <paramref name="parallel"/> at a time (see <see cref="RunOne"/>), each on
    /// its share of the thread policy: <c>max(1, threads / parallel)</c> (unless its config sets <c>threads</c>). A run that
    /// fails is recorded (its <c>outcome.json</c>) and the others go on; a stop request ends the running runs at a step
    /// boundary (each with a checkpoint) and starts no more.</summary>
    /// <param name="parallel">Runs at once.</param>
    /// <param name="onRunFinished">Called with each finished run's name and its uniform-grid scores.</param>
    /// <param name="cancel">The stop request.</param>
    /// <param name="processes">When given, each run trains in a child process this launcher starts (<c>sweep --index</c>, as
    /// an array task; its output in <c>local-NNNN.out</c>) instead of in this process: runs side by side then share no
    /// heap, thread pool or oneDNN runtime. The results are the same.</param>
    public SweepResult RunLocally(int parallel, Action<string, DisentanglementScores>? onRunFinished = null, CancellationToken cancel = default,
        SlurmLauncher? processes = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);
        var plan = WriteConfigs();
        var failures = new ConcurrentBag<(int Index, SweepFailure Failure)>();
        int interrupted = 0;
        // One run at a time per worker, in grid order (a list is otherwise split into fixed ranges, and a worker whose
        // range finishes first sits idle while the other still has runs to do).
        var queue = Partitioner.Create(plan, EnumerablePartitionerOptions.NoBuffering);
        int share = Math.Max(1, Parallelism.MaxThreads / parallel);
        Parallel.ForEach(queue, new ParallelOptions { MaxDegreeOfParallelism = parallel }, item =>
        {
            if (cancel.IsCancellationRequested) return;
            try
            {
                var options = item.Options with { Threads = item.Options.Threads ?? share };
                var scores = _evaluations.Recorded(options)   // a finished run needs no process of its own
                    ?? (processes is null ? RunHere(options, cancel) : RunProcess.Scores(processes, SpecFile, item.Run.Index, options, cancel));
                onRunFinished?.Invoke(item.Run.Name, scores);
            }
            catch (TrainingInterruptedException) { Interlocked.Increment(ref interrupted); }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add((item.Run.Index, new SweepFailure(item.Run.Name, Describe(e), e is TrainingDivergedException)));
            }
        });
        return new SweepResult([.. failures.OrderBy(f => f.Index).Select(f => f.Failure)], interrupted);
    }

    private DisentanglementScores RunHere(TrainOptions options, CancellationToken cancel)
    {
        using var threads = Parallelism.Scope(options.Threads!.Value);   // training and evaluation of this run
        return Run(options, null, cancel);
    }

    /// <summary>Trains and evaluates run <paramref name="index"/> of the grid (one Slurm array task); a finished run is
    /// only evaluated where an evaluation is missing, an interrupted one resumed, and one whose options equal those of
    /// another sweep's finished run under the same root takes its training (<see cref="SharedRuns"/>); a done run kept
    /// without its checkpoints (<see cref="RunFolder.IsKept"/>) gives its recorded scores. The run is evaluated on <see cref="TrainOptions.EvalSamples"/>
    /// uniform-grid samples (FastICA fitted on twice as many training-distribution samples), at its best checkpoint (the
    /// paper's choice) and at its last; an inner-ridge run is also evaluated after FastICA (the inner-ridge + ICA
    /// baseline); with <see cref="SweepSpec.FullGrid"/>, the best checkpoint is also scored on every grid image (with
    /// FastICA too for inner-ridge). Its outcome (done, failed, interrupted) is recorded.</summary>
    /// <param name="index">The run's index in the grid.</param>
    /// <param name="onLog">Receives the run's log entries (an array task prints them).</param>
    /// <param name="cancel">Stops training at the next step boundary, with a checkpoint.</param>
    /// <returns>The run's name and its uniform-grid scores.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a run of the grid.</exception>
    /// <exception cref="TrainingInterruptedException"><paramref name="cancel"/> stopped the run.</exception>
    public (string Name, TrainOptions Options, DisentanglementScores Scores) RunOne(int index, Action<TrainLogEntry>? onLog = null, CancellationToken cancel = default)
    {
        var plan = Plan();   // no writes: the array tasks of one sweep run at once
        if (index < 0 || index >= plan.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Sweep '{_spec.Name}' has runs 0 to {plan.Count - 1}.");
        return (plan[index].Run.Name, plan[index].Options, Run(plan[index].Options, onLog, cancel));
    }

    private DisentanglementScores Run(TrainOptions options, Action<TrainLogEntry>? onLog, CancellationToken cancel)
    {
        var folder = new RunFolder(options.Out);
        if (_evaluations.Recorded(options) is { } recorded) return recorded;   // nothing to do: its outcome keeps its time
        if (Directory.Exists(folder.Path)) RunOutcome.Clear(folder.Path);
        try
        {
            string? twin = folder.HoldsRun ? null : SharedRuns.FindTwin(Path.GetDirectoryName(_folder)!, options);
            if (twin is not null) SharedRuns.CopyTraining(twin, folder, options);
            if (folder.IsKept)   // the twin is kept without checkpoints: its evaluations came with its training
            {
                var kept = _evaluations.KeptScores(folder, options);
                Done(folder, twin);
                return kept;
            }
            if (SweepEvaluations.NeedsTraining(folder, options))
            {
                var training = new TrainingRun(options, resume: true);
                if (training.MachineChange is { } change) OnWarning?.Invoke(change);
                training.Train(onLog, null, cancel);
            }
            IImageDataset? data = null;   // opened once, for the evaluations the folder does not hold yet
            var scores = _evaluations.Of(options).Select(choice => (RunEvaluation.Recorded(folder.Path, choice)
                ?? new RunEvaluation(folder.Path, choice, data ??= RunEvaluation.OpenData(folder.Path)).Run()[0]).Scores).ToArray();
            Done(folder, twin);
            return scores[0];
        }
        catch (TrainingInterruptedException e)
        {
            new RunOutcome(RunState.Interrupted, e.Message, DateTimeOffset.UtcNow).Write(folder.Path);
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            new RunOutcome(RunState.Failed, Describe(e), DateTimeOffset.UtcNow).Write(folder.Path);
            throw;
        }
    }

    private static void Done(RunFolder folder, string? twin) =>
        new RunOutcome(RunState.Done, twin is null ? "" : SharedRuns.Note(twin, folder.Path), DateTimeOffset.UtcNow).Write(folder.Path);

    /// <summary>An error as one line, without .NET's "(Parameter 'x')" suffix.</summary>
    private static string Describe(Exception e) =>
        (e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", "") : e.Message).ReplaceLineEndings(" ");
}
