using Disentangle.Metrics;
using Disentangle.Runs;
using Disentangle.Training;

namespace Disentangle.Experiments;

/// <summary>The evaluations a sweep asks of each run, and what a run already holds of them: a run that needs nothing
/// more gives its recorded scores without training, scoring or a process of its own.</summary>
/// <param name="FullGrid">Whether the sweep also scores each run's best checkpoint on every grid image
/// (<see cref="SweepSpec.FullGrid"/>).</param>
internal sealed record SweepEvaluations(bool FullGrid)
{
    /// <summary>The evaluations of a finished run, the first giving the scores a sweep prints: on <see cref="TrainOptions.EvalSamples"/>
    /// uniform-grid samples (FastICA fitted on twice as many training-distribution samples), at the best checkpoint (the
    /// paper's choice) and at the last (for <c>report --checkpoint last</c>); for inner-ridge, both again after FastICA (the
    /// inner-ridge + ICA baseline); with <see cref="FullGrid"/>, the best checkpoint on every grid image too.</summary>
    public IEnumerable<EvaluateOptions> Of(TrainOptions options)
    {
        var best = new EvaluateOptions(Samples: options.EvalSamples, IcaSamples: 2 * options.EvalSamples);
        var last = best with { Checkpoint = CheckpointChoice.Last };
        bool ridge = options.Method == TrainMethod.InnerRidge;
        yield return best;
        yield return last;
        if (ridge)
        {
            yield return best with { Ica = true };
            yield return last with { Ica = true };
        }
        if (FullGrid)   // the paper's scoring, for `report --full-grid`
        {
            yield return best with { FullGrid = true };
            if (ridge) yield return best with { FullGrid = true, Ica = true };
        }
    }

    /// <summary>The recorded scores of a done run that needs nothing more (kept without its checkpoints, or trained to its
    /// last step and holding every evaluation of <see cref="Of"/>); null when it has something left to do.</summary>
    /// <exception cref="InvalidOperationException">The run is kept without its checkpoints and cannot give what the sweep
    /// asks (<see cref="KeptScores"/>).</exception>
    public DisentanglementScores? Recorded(TrainOptions options)
    {
        var folder = new RunFolder(options.Out);
        if (RunOutcome.Read(folder.Path)?.State != RunState.Done) return null;
        return folder.IsKept ? KeptScores(folder, options) : Finished(folder, options);
    }

    /// <summary>Whether the run still has steps to train, or its training's own evaluation to write.</summary>
    public static bool NeedsTraining(RunFolder folder, TrainOptions options) =>
        !File.Exists(folder.TrainEvaluation) || !folder.HoldsRun || Io.Checkpoint.Load(folder.Checkpoint).Step < options.Steps;

    /// <summary>The first evaluation's scores when <paramref name="folder"/> needs no training and holds every evaluation
    /// of <see cref="Of"/>; otherwise null.</summary>
    private DisentanglementScores? Finished(RunFolder folder, TrainOptions options)
    {
        if (NeedsTraining(folder, options)) return null;
        var recorded = Of(options).Select(choice => RunEvaluation.Recorded(folder.Path, choice)).ToArray();
        return recorded.All(r => r is not null) ? recorded[0]!.Scores : null;
    }

    /// <summary>The scores of a done run kept without its checkpoints, after checking that it is this run (its config, its
    /// step count) and holds every evaluation the sweep asks for: none can be trained or scored again here.</summary>
    /// <exception cref="InvalidOperationException">Its config differs, it stopped short of the steps, or an evaluation is missing.</exception>
    public DisentanglementScores KeptScores(RunFolder folder, TrainOptions options)
    {
        const string restore = "put its checkpoint.safetensors and best.safetensors back to go on";
        // z unset means the data's factor count, which training recorded.
        folder.EnsureResumable(options with { ZDim = options.ZDim ?? Io.ConfigFile.Load(folder.Config, new TrainOptions()).ZDim });
        long trained = folder.TrainedSteps();
        if (trained < options.Steps)
            throw new InvalidOperationException($"'{folder.Path}' is kept without its checkpoints at step {trained}, and the sweep asks for {options.Steps} steps: {restore}.");
        var scores = Of(options).Select(choice => RunEvaluation.Recorded(folder.Path, choice)
            ?? throw new InvalidOperationException($"'{folder.Path}' is kept without its checkpoints and lacks the evaluation '{Label(choice)}' the sweep asks for: {restore}."))
            .ToArray();
        return scores[0].Scores;
    }

    private static string Label(EvaluateOptions choice) =>
        $"{(choice.Checkpoint == CheckpointChoice.Best ? "best" : "last")}{(choice.Ica == true ? " with FastICA" : "")}{(choice.FullGrid ? " on the full grid" : $" on {choice.Samples} samples")}";
}
