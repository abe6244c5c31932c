using System.CommandLine;
using Disentangle.Experiments;

namespace Disentangle.Cli.Commands;

/// <summary><c>disentangle meta-test RUN</c>: accuracy ± 95% CI and feature usage of a meta-trained run on test episodes.</summary>
public static class MetaTestCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var runs = new Argument<DirectoryInfo[]>("RUN") { Description = "run folders written by meta-train", Arity = ArgumentArity.OneOrMore };
        var figure = new Option<FileInfo?>("--figure") { Description = "also write Figure 5 (accuracy vs λ₁/λ₁max, sorted feature usage) of all runs to this PNG" };
        var reuse = new Option<bool>("--reuse") { Description = "read a run's existing test JSON for these settings instead of evaluating again" };
        var command = new Command("meta-test", "Meta-test runs: mean accuracy ± 1.96·std/√episodes, features used per task, per-feature usage (JSON).")
            { runs, figure, reuse };
        var binder = new ConfigBinder<MetaTestOptions>(command, new MetaTestOptions());
        binder.Add<int>("--episodes", "test episodes");
        binder.Add<long>("--seed", "seed of the test episodes");
        binder.Add<double?>("--lambda-ratio", "λ₁/λ₁max at test time (none: the training value)");
        binder.Add<int?>("--shots", "K at test time (none: the training value)");
        binder.Add<int>("--batch-size", "episodes evaluated together");
        command.SetAction(result => CommandRunner.Run(() =>
        {
            var options = binder.Bind(result);
            CommandRunner.PrintConfig(options);
            var outcomes = new List<MetaTestResult>();
            foreach (var run in result.GetValue(runs)!)
            {
                var existing = result.GetValue(reuse) ? MetaLearningExperiment.ExistingTest(run.FullName, options) : null;
                var outcome = existing ?? ProgressReporter.Run("meta-test", options.Episodes, p => MetaLearningExperiment.Test(run.FullName, options, p));
                outcomes.Add(outcome);
                    Console.WriteLine($"{outcome.Dataset} {outcome.Ways}-way {outcome.Shots}-shot, λ₁/λ₁max = {outcome.LambdaRatio}: " +
                $"accuracy {100 * outcome.MeanAccuracy:F2} ± {100 * outcome.ConfidenceInterval95:F2}% over {outcome.Episodes} episodes, " +
                $"features used {100 * outcome.MeanFeatureFraction:F1}% ({outcome.Seconds:F0} s)");
            }
            if (result.GetValue(figure) is { } png)
            {
                MetaLearningReport.SaveFigure5(png.FullName, outcomes);
                Console.WriteLine($"wrote {png.FullName}");
            }
            return 0;
        }));
        return command;
    }
}
