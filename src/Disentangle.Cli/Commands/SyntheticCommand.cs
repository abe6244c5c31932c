using System.CommandLine;
using Disentangle.Experiments;

namespace Disentangle.Cli.Commands;

/// <summary><c>disentangle synthetic</c>: Figure 1 (Lasso vs Ridge on disentangled vs entangled frozen features).</summary>
public static class SyntheticCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("synthetic", "Figure 1: Lasso and Ridge on disentangled (z) vs entangled (Qz) features; writes CSV/JSON and figure1.png.");
        var binder = new ConfigBinder<SyntheticOptions>(command, new SyntheticOptions());
        binder.Add<int>("--features", "latent dimension m");
        binder.Add<double[]>("--support-fractions", "fractions ℓ/m of non-zero coefficients, one panel each");
        binder.Add<int[]>("--train-sizes", "training-set sizes n");
        binder.Add<int>("--test-size", "fresh test samples");
        binder.Add<int>("--seeds", "repetitions");
        binder.Add<int>("--folds", "cross-validation folds");
        binder.Add<int>("--path-length", "λ values per cross-validation path");
        binder.Add<double>("--noise-std", "label noise standard deviation");
        binder.Add<long>("--seed", "seed of every random draw");
        binder.Add<string>("--out", "output folder");
        binder.Add<Disentangle.Plots.FigureFormat>("--format", "figure format: png | svg | pdf");
        var force = new Option<bool>("--force") { Description = "overwrite the results already in --out" };
        command.Options.Add(force);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            var options = binder.Bind(result);
            CommandRunner.PrintConfig(options);
            var experiment = new SyntheticLassoExperiment(options, result.GetValue(force));
            int cells = options.Seeds * options.Fractions.Length * options.Sizes.Length;
            var outcome = ProgressReporter.Run("synthetic", cells, experiment.Run);
            foreach (var path in experiment.Write(outcome)) Console.WriteLine($"wrote {path}");
            foreach (var s in outcome.Summaries.Where(s => s.TrainSize == options.Sizes.Min()))
                Console.WriteLine($"  ℓ/m={s.SupportFraction:P0} n={s.TrainSize} {s.Representation}-{s.Regression}: R² = {s.MeanR2:F3} ± {s.StandardError:F3}");
            return 0;
        }));
        return command;
    }
}
