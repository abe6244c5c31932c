using System.CommandLine;
using Disentangle.Runs;
using Disentangle.Training;

namespace Disentangle.Cli.Commands;

/// <summary><c>disentangle train</c>: the bilevel trainer (Eq. 4, Figures 4 and 6).</summary>
public static class TrainCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("train", "Train a representation by sparse multi-task learning (inner-lasso, inner-ridge, inner-ridge-ica, outer-l1); writes a run folder.");
        var binder = new ConfigBinder<TrainOptions>(command, new TrainOptions());
        binder.Add<TrainMethod>("--method", "inner-lasso | inner-ridge | inner-ridge-ica | outer-l1");
        binder.Add<int>("--steps", "outer steps");
        binder.Add<int>("--tasks", "tasks per step");
        binder.Add<int>("--inner-shots", "samples per task for the inner problem");
        binder.Add<int>("--outer-shots", "samples per task for the outer loss");
        binder.Add<bool>("--split", "support/query split instead of shared samples");
        binder.Add<double>("--learning-rate", "Adam learning rate");
        binder.Add<int>("--inner-max-epochs", "inner coordinate-descent epochs at most");
        binder.Add<double>("--inner-tolerance", "inner relative duality-gap tolerance");
        binder.Add<double?>("--lambda-ratio", "c = λ/λ_max (lasso) or λ/(‖X‖²/n) (ridge); null: 0.3 (lasso), 1e-7 (ridge)");
        binder.Add<double>("--outer-penalty", "λ_out of outer-l1");
        binder.Add<int>("--z-dim", "dimension of the learned representation");
        binder.Add<int>("--outputs", "outputs k per task (k > 1: group Lasso)");
        binder.Add<double>("--label-noise", "label noise σ relative to the signal");
        binder.Add<string>("--latents", "latent distribution: uniform | gauss_ρ | harder_gauss_ρ");
        binder.Add<double>("--latent-noise", "latent noise s in [0, 1]");
        binder.Add<string>("--coefficients", "task coefficients: binomial_gauss[_p] | fix_size_support_s | block_support_s | laplace | gauss | finite_intra_support_s");
        binder.Add<InputKind>("--inputs", "images (ConvEncoder) | linear (x = A z, MLP)");
        binder.Add<string?>("--data", "path of a real 3dshapes.h5 (default: the embedded renderer)");
        binder.Add<int>("--linear-dimension", "input dimension of the linear ground truth");
        binder.Add<int>("--eval-every", "steps between evaluations and checkpoints");
        binder.Add<int>("--eval-samples", "uniform-grid samples of the evaluation set");
        binder.Add<int>("--validation-tasks", "held-out tasks that select the best checkpoint");
        binder.Add<int>("--log-every", "steps between log lines");
        binder.Add<long>("--seed", "seed of every random draw");
        binder.Add<string>("--out", "run folder");
        var resume = new Option<bool>("--resume") { Description = "continue the run in --out from its last checkpoint" };
        command.Options.Add(resume);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            var options = binder.Bind(result);
            CommandRunner.PrintConfig(options);
            var trainer = new TrainingRun(options, result.GetValue(resume));
            if (trainer.Step > 0) Console.WriteLine($"resuming {trainer.Folder.Path} at step {trainer.Step}");
            Console.WriteLine($"encoder: {trainer.Encoder.ParameterCount():N0} parameters; run folder {trainer.Folder.Path}");
            using var graceful = StopSignal.Graceful();
            try
            {
                var scores = ProgressReporter.Run("train", options.Steps, progress =>
                    trainer.Train(entry => ProgressReporter.WriteLine(TrainLogFormat.Line(entry, options.Steps)), new StepProgress(progress), StopSignal.Token));
                Console.WriteLine($"final (uniform grid): MCC {scores.Mcc:F3} (Spearman {scores.MccSpearman:F3}), R {scores.R:F3}, "
                    + $"DCI D {scores.DciDisentanglement:F3} C {scores.DciCompleteness:F3} I {scores.DciInformativeness:F3}");
                Console.WriteLine($"wrote {trainer.Folder.Path}");
                return 0;
            }
            catch (TrainingDivergedException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 3;
            }
        }));
        return command;
    }

    /// <summary>Forwards the trainer's step count to the progress bar.</summary>
    private sealed class StepProgress(IProgress<int> bar) : IProgress<long>
    {
        public void Report(long step) => bar.Report((int)step);
    }
}
