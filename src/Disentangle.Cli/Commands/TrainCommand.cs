using System.CommandLine;
using Disentangle.Runs;
using Disentangle.Tensors;
using Disentangle.Training;

namespace Disentangle.Cli.Commands;

/// <summary><c>disentangle train</c>: the bilevel trainer (Eq. 4, Figures 4 and 6).</summary>
public static class TrainCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("train", "Train a representation by sparse multi-task learning (inner-lasso, inner-ridge, inner-ridge-ica, outer-l1, outer-l2); writes a run folder.");
        var binder = new ConfigBinder<TrainOptions>(command, new TrainOptions());
        binder.Add<TrainMethod>("--method", "inner-lasso | inner-ridge | inner-ridge-ica | outer-l1 | outer-l2");
        binder.Add<int>("--steps", "outer steps");
        binder.Add<int>("--tasks", "tasks per step");
        binder.Add<int>("--inner-shots", "samples per task for the inner problem");
        binder.Add<int>("--outer-shots", "samples per task for the outer loss");
        binder.Add<bool>("--split", "support/query split instead of shared samples");
        binder.Add<double>("--learning-rate", "Adam learning rate");
        binder.Add<int>("--inner-max-epochs", "inner coordinate-descent epochs at most");
        binder.Add<double>("--inner-tolerance", "inner relative duality-gap tolerance");
        binder.Add<double?>("--lambda-ratio", "c = λ/λ_max (lasso, in [0, 1]) or λ/(‖X‖²_F/n) (ridge, ≥ 0); the paper's grid is 0, 0.01, 0.03, 0.1, 0.3, 1; unset: 0.3 (lasso), 1e-7 (ridge: ≈ least squares)");
        binder.Add<double>("--outer-penalty", "c_out of outer-l1 / outer-l2: penalty weight relative to λ_max (l1) or ‖X‖²/n (l2) of the outer rows");
        binder.Add<int?>("--z-dim", "dimension of the learned representation; none: the data's factor count d (6 for 3D Shapes, d for a --data file of your own)");
        binder.Add<int>("--outputs", "outputs k per task (k > 1: group Lasso)");
        binder.Add<double>("--label-noise", "label noise σ relative to the signal");
        binder.Add<string>("--latents", "latent distribution: uniform | gauss_ρ | harder_gauss_ρ (on your own data: the nearest sample to each Gaussian draw, docs/own-data.md)");
        binder.Add<double>("--latent-noise", "latent noise s in [0, 1]");
        binder.Add<string>("--coefficients", "task coefficients: binomial_gauss[_p] | fix_size_support_s | block_support_s | laplace | gauss | finite_intra_support_s");
        binder.Add<InputKind>("--inputs", "images (ConvEncoder) | linear (x = A z, MLP)");
        binder.Add<string?>("--data", "a real 3dshapes.h5, or your own HDF5/NPZ file with images uint8 [N, H, W, C] and factors [N, d] (docs/own-data.md); default: the embedded 3D Shapes renderer");
        binder.Add<int>("--linear-dimension", "input dimension of the linear ground truth");
        binder.Add<int>("--eval-every", "steps between evaluations and checkpoints");
        binder.Add<int>("--eval-samples", "uniform-grid samples of the evaluation set");
        binder.Add<int>("--validation-tasks", "held-out tasks that select the best checkpoint (reference: 1000, in batches of 10)");
        binder.Add<int>("--log-every", "steps between log lines");
        binder.Add<long>("--seed", "seed of every random draw");
        binder.Add<string>("--out", "run folder");
        binder.Add<Disentangle.Data.Tasks.LatentNoiseImages>("--latent-noise-images", "with latent noise: grid-point (each image keeps its grid point, the paper) | perturbed-latent (embedded renderer draws z + ε; 3D Shapes only)");
        binder.Add<BatchNormStatistics>("--batch-norm-statistics", "per-task (the released code's vmap over tasks) | whole-batch");
        binder.Add<Disentangle.Nn.Initialisation>("--initialisation", "haiku (the released code: truncated normal 1/√fan-in, zero bias) | kaiming-uniform (PyTorch's default)");
        var resume = new Option<bool>("--resume") { Description = "continue the run in --out from its last checkpoint (every option but --steps must match; --steps may raise the target, which config.json then records)" };
        command.Options.Add(resume);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            var options = binder.Bind(result);
            if (CliApp.ThreadsGiven(result) is int threads) options = options with { Threads = threads };   // the flag beats --config
            bool resuming = result.GetValue(resume);
            if (resuming && !new RunFolder(options.Out).HoldsRun)
                throw new DirectoryNotFoundException($"--resume: '{Path.GetFullPath(options.Out)}' holds no run to resume (it needs config.json and checkpoint.safetensors); drop --resume to start one.");
            CommandRunner.PrintConfig(options);
            using var trainer = new TrainingRun(options, resuming);
            Console.Error.WriteLine(Data.Tasks.SupportVariability.CheckTaskSampler(options.Coefficients, options.Outputs, trainer.FactorCount)
                .Describe($"--coefficients {options.Coefficients}"));
            Console.Error.WriteLine($"threads: {trainer.Threads} (recorded in the run's config.json; a resume keeps it)");
            if (trainer.Step > 0) Console.Error.WriteLine($"resuming {trainer.Folder.Path} at step {trainer.Step}");
            if (trainer.MachineChange is { } change) Console.Error.WriteLine($"warning: {change}");
            Console.Error.WriteLine($"encoder: {trainer.Encoder.ParameterCount():N0} parameters; run folder {trainer.Folder.Path}");
            using var graceful = StopSignal.Graceful();
            var scores = ProgressReporter.Run("train", options.Steps, progress =>
                trainer.Train(entry => ProgressReporter.WriteLine(TrainLogFormat.Line(entry, options.Steps)), new StepProgress(progress), StopSignal.Token));
            Console.WriteLine($"final (uniform grid): MCC {scores.Mcc:F3} (Spearman {scores.MccSpearman:F3}), R {scores.R:F3}, "
                + $"DCI D {scores.DciDisentanglement:F3} C {scores.DciCompleteness:F3} I {scores.DciInformativeness:F3}");
            Console.WriteLine($"wrote {trainer.Folder.Path}");
            return 0;
        }));
        return command;
    }

    /// <summary>Forwards the trainer's step count to the progress bar.</summary>
    private sealed class StepProgress(IProgress<int> bar) : IProgress<long>
    {
        public void Report(long step) => bar.Report((int)step);
    }
}
