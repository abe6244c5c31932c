using System.CommandLine;
using Disentangle.Plots;
using Disentangle.Runs;
using Disentangle.Training;

namespace Disentangle.Cli.Commands;

/// <summary><c>disentangle traversals RUN</c>: Figures 11–14, latent traversals of a trained and evaluated run.</summary>
public static class TraversalsCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("traversals", "Figures 11–14: move each true factor over its grid from an anchor and plot every learned feature's "
            + "response, naming the feature matched to it (from the run's evaluation); writes traversal-matched-<checkpoint>[-ica].png and traversal-images.png (docs/run-folder.md). "
            + "A run kept without its checkpoints gets its evaluation's traversals-<checkpoint>[-ica].png redrawn from the numbers it recorded (the middle values as anchor).");
        var run = new Argument<DirectoryInfo>("run") { Description = "a trained and evaluated run folder" };
        var anchor = new Option<double[]>("--anchor") { Description = "six raw factor values to start from (default: the reference's 0.1 0.6 0.9 1.036 0 -21.42)", AllowMultipleArgumentsPerToken = true };
        var ica = new Option<bool?>("--ica") { Description = "apply FastICA first (default: for inner-ridge-ica runs)" };
        var last = new Option<bool>("--last") { Description = "use the last checkpoint instead of the best one" };
        var format = new Option<FigureFormat>("--format") { Description = "figure format: png | svg | pdf", DefaultValueFactory = _ => FigureFormat.Png };
        EnumOptions.SpellAsFiles(format);
        command.Arguments.Add(run);
        command.Options.Add(anchor);
        command.Options.Add(ica);
        command.Options.Add(last);
        command.Options.Add(format);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            var values = result.GetValue(anchor);
            var options = new TraversalOptions(values is { Length: > 0 } ? values : null, result.GetValue(ica),
                new EvaluateOptions(Checkpoint: result.GetValue(last) ? CheckpointChoice.Last : CheckpointChoice.Best, Format: result.GetValue(format)));
            foreach (var path in LatentTraversal.Write(result.GetValue(run)!.FullName, options)) Console.WriteLine($"wrote {path}");
            return 0;
        }));
        return command;
    }
}
