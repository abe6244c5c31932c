using System.CommandLine;
using Disentangle.Io;
using Disentangle.Plots;
using Disentangle.Runs;
using Disentangle.Training;

namespace Disentangle.Cli.Commands;

/// <summary><c>disentangle evaluate RUN</c>: MCC, R, DCI of a trained run; eval-*.json and figures.</summary>
public static class EvaluateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("evaluate", "Evaluate a run folder: MCC (Pearson, Spearman), R, DCI, MCC of used features; writes eval-<name>.json, features-<name>.npy and latents-<name>.npy with name <checkpoint>[-ica][-full-grid]-<set>, correlations-<checkpoint>[-ica][-full-grid].png and traversals-….png (docs/run-folder.md).");
        var run = new Argument<DirectoryInfo>("run") { Description = "the run folder written by 'disentangle train'" };
        command.Arguments.Add(run);
        var binder = new ConfigBinder<EvaluateOptions>(command, new EvaluateOptions());
        binder.Add<CheckpointChoice>("--checkpoint", "best (by validation loss) | last");
        binder.Add<int>("--samples", "samples of each evaluation set");
        binder.Add<bool>("--training-distribution", "also evaluate on the training latent distribution");
        binder.Add<bool?>("--ica", "apply FastICA to the features first (default: only for inner-ridge-ica runs)");
        binder.Add<int>("--ica-samples", "training-distribution samples FastICA is fitted on");
        binder.Add<long>("--seed", "seed of the evaluation sets");
        binder.Add<bool>("--full-grid", "the reference's evaluation: every grid image (480,000; every sample of a --data file of your own) and FastICA on 1,000,000 training samples, in bounded memory");
        binder.Add<FigureFormat>("--format", "figure format: png | svg | pdf");
        command.SetAction(result => CommandRunner.Run(() =>
        {
            var options = binder.Bind(result);
            CommandRunner.PrintConfig(options);
            var evaluation = new RunEvaluation(result.GetValue(run)!.FullName, options);
            if (evaluation.Notice is { } notice) Console.Error.WriteLine($"note: {notice}");
            var results = ProgressReporter.Run("evaluate", evaluation.PlannedSamples, progress => evaluation.Run(progress));
            var first = results[0];
            Console.WriteLine($"{first.Run} ({JsonFiles.Name(first.Method)}, step {first.Step}, {first.Checkpoint} checkpoint, {first.Evaluation} evaluation"
                + $"{(first.Ica ? $", after FastICA fitted on {first.IcaSamples:N0} samples" : "")}"
                + $"{(first.ValidationLoss is { } loss ? $", validation loss {loss:G4}" : "")})");
            foreach (var set in results)
            {
                var s = set.Scores;
                Console.WriteLine($"  {set.Set} ({set.Samples} samples): MCC {s.Mcc:F3} (Spearman {s.MccSpearman:F3}"
                    + $"{(s.MccUsedFeatures is { } used ? $", used features {used:F3}" : "")}), R {s.R:F3}, "
                    + $"DCI D {s.DciDisentanglement:F3} C {s.DciCompleteness:F3} I {s.DciInformativeness:F3} "
                    + $"(released code's weighting: D {s.DciDisentanglementReleased:F3} C {s.DciCompletenessReleased:F3})");
            }
            Console.WriteLine($"wrote {string.Join(", ", results.Select(r => $"eval-{r.Name}.json"))}, their features-/latents-*.npy"
                + $" and the correlations and traversals figures in {first.Run}");
            return 0;
        }));
        return command;
    }
}
