using System.CommandLine;
using Disentangle.Experiments;

namespace Disentangle.Cli.Commands;

/// <summary><c>disentangle meta-test RUN</c>: accuracy ± 95% CI and feature usage of a meta-trained run on test episodes.</summary>
public static class MetaTestCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var run = new Argument<DirectoryInfo>("RUN") { Description = "run folder written by meta-train" };
        var episodes = new Option<int>("--episodes") { Description = "test episodes", DefaultValueFactory = _ => 1_000 };
        var seed = new Option<long>("--seed") { Description = "seed of the test episodes", DefaultValueFactory = _ => new MetaTestOptions().Seed };
        var ratio = new Option<double?>("--lambda-ratio") { Description = "λ₁/λ₁max at test time (default: the training value)" };
        var shots = new Option<int?>("--shots") { Description = "K at test time (default: the training value)" };
        var command = new Command("meta-test", "Meta-test a run: mean accuracy ± 1.96·std/√episodes, features used per task, per-feature usage (JSON).")
            { run, episodes, seed, ratio, shots };
        command.SetAction(result => CommandRunner.Run(() =>
        {
            var options = new MetaTestOptions(result.GetValue(episodes), result.GetValue(seed), result.GetValue(ratio), result.GetValue(shots));
            string folder = result.GetValue(run)!.FullName;
            var outcome = ProgressReporter.Run("meta-test", options.Episodes, p => MetaLearningExperiment.Test(folder, options, p));
            Console.WriteLine($"{outcome.Dataset} {outcome.Ways}-way {outcome.Shots}-shot, λ₁/λ₁max = {outcome.LambdaRatio}: " +
                $"accuracy {100 * outcome.MeanAccuracy:F2} ± {100 * outcome.ConfidenceInterval95:F2}% over {outcome.Episodes} episodes, " +
                $"features used {100 * outcome.MeanFeatureFraction:F1}% ({outcome.Seconds:F0} s)");
            return 0;
        }));
        return command;
    }
}
