using System.Collections.Concurrent;
using Disentangle.Io;
using Disentangle.Metrics;
using Disentangle.Runs;
using Disentangle.Training;

namespace Disentangle.Experiments;

/// <summary>Runs a sweep of <c>train</c> configurations: writes one config per run, then either trains and evaluates them
/// locally (N at a time, each resumable) or writes a Slurm job-array script.</summary>
public sealed class SweepRunner
{
    private readonly SweepSpec _spec;
    private readonly string _folder;

    /// <summary>Prepares the sweep in <paramref name="root"/>/<c>name</c>.</summary>
    public SweepRunner(SweepSpec spec, string root)
    {
        _spec = spec;
        _folder = Path.GetFullPath(Path.Combine(root, spec.Name));
    }

    /// <summary>The sweep folder (configs/, runs/, sweep.slurm).</summary>
    public string Folder => _folder;

    /// <summary>The runs with their full, validated options (each writes to <c>runs/NAME</c>).</summary>
    /// <exception cref="InvalidDataException">A run's config has an unknown key or a bad value.</exception>
    public IReadOnlyList<(SweepRun Run, TrainOptions Options)> Plan() =>
        _spec.Expand().Select(run =>
        {
            var options = ConfigFile.Merge(new TrainOptions(), run.Config, $"sweep run {run.Index} ({run.Name})")
                with { Out = Path.Combine(_folder, "runs", run.Name) };
            options.Validate();
            return (run, options);
        }).ToArray();

    /// <summary>Writes <c>configs/NNNN.json</c> for every run; returns the plan.</summary>
    public IReadOnlyList<(SweepRun Run, TrainOptions Options)> WriteConfigs()
    {
        var plan = Plan();
        Directory.CreateDirectory(Path.Combine(_folder, "configs"));
        foreach (var (run, options) in plan) ConfigFile.Save(Path.Combine(_folder, "configs", $"{run.Index:D4}.json"), options);
        return plan;
    }

    /// <summary>Writes the configs, a copy of the sweep file (<c>sweep.json</c>) and <c>sweep.slurm</c>, whose array index i
    /// runs <c>disentangle sweep sweep.json --index i</c> (the same train + evaluate as a local run); returns the script's path.</summary>
    public string WriteSlurm(string launcher, int cpusPerTask, int hours)
    {
        WriteConfigs();
        var specFile = Path.Combine(_folder, "sweep.json");
        _spec.Save(specFile);
        var path = Path.Combine(_folder, "sweep.slurm");
        File.WriteAllText(path, _spec.SlurmScript(_folder, specFile, Path.GetDirectoryName(_folder)!, launcher, cpusPerTask, hours));
        return path;
    }

    /// <summary>Trains and evaluates every run, <paramref name="parallel"/> at a time (see <see cref="RunOne"/>).</summary>
    /// <param name="parallel">Runs at once.</param>
    /// <param name="onRunFinished">Called with each run's name and its uniform-grid scores.</param>
    public void RunLocally(int parallel, Action<string, DisentanglementScores>? onRunFinished = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);
        var plan = WriteConfigs();
        // One run at a time per worker, in grid order (a list is otherwise split into fixed ranges, and a worker whose
        // range finishes first sits idle while the other still has runs to do).
        var queue = Partitioner.Create(plan, EnumerablePartitionerOptions.NoBuffering);
        Parallel.ForEach(queue, new ParallelOptions { MaxDegreeOfParallelism = parallel }, item =>
        {
            var scores = Run(item.Options);
            onRunFinished?.Invoke(item.Run.Name, scores);
        });
    }

    /// <summary>Trains and evaluates run <paramref name="index"/> of the grid (one Slurm array task); a finished run is
    /// only re-evaluated and an interrupted one resumed. The run is evaluated on <see cref="TrainOptions.EvalSamples"/>
    /// uniform-grid samples (FastICA fitted on twice as many training-distribution samples); an inner-ridge run is also
    /// evaluated after FastICA (the inner-ridge + ICA baseline).</summary>
    /// <returns>The run's name and its uniform-grid scores.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a run of the grid.</exception>
    public (string Name, DisentanglementScores Scores) RunOne(int index)
    {
        var plan = Plan();   // no writes: the array tasks of one sweep run at once
        if (index < 0 || index >= plan.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Sweep '{_spec.Name}' has runs 0 to {plan.Count - 1}.");
        return (plan[index].Run.Name, Run(plan[index].Options));
    }

    private static DisentanglementScores Run(TrainOptions options)
    {
        var folder = new RunFolder(options.Out);
        if (!File.Exists(folder.TrainEvaluation) || !folder.HoldsRun || Io.Checkpoint.Load(folder.Checkpoint).Step < options.Steps)
            new TrainingRun(options, resume: true).Train();
        var evaluation = new EvaluateOptions(Samples: options.EvalSamples, IcaSamples: 2 * options.EvalSamples);
        var report = new RunEvaluation(folder.Path, evaluation).Run();
        if (options.Method == TrainMethod.InnerRidge)
            new RunEvaluation(folder.Path, evaluation with { Ica = true }).Run();
        return report[0].Scores;
    }
}
