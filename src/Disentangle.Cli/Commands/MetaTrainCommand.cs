using System.CommandLine;
using Disentangle.Experiments;
using Disentangle.FewShot;

namespace Disentangle.Cli.Commands;

/// <summary><c>disentangle meta-train</c>: few-shot meta-training through the group-sparse SVM head (Section 5.2).</summary>
public static class MetaTrainCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("meta-train", "Meta-train a few-shot backbone through the group-sparse SVM head; writes config.json, log.csv and checkpoint.safetensors.");
        var binder = new ConfigBinder<MetaLearningOptions>(command, new MetaLearningOptions());
        binder.Add<FewShotDatasetKind>("--dataset", "few-shot benchmark");
        binder.Add<string>("--data-path", "folder of the benchmark's files");
        binder.Add<int>("--image-size", "image side in pixels");
        binder.Add<BackboneKind>("--backbone", "feature extractor");
        binder.Add<int>("--width", "Conv4 channels / ResNet-12 first width");
        binder.Add<int>("--ways", "N classes per episode");
        binder.Add<int>("--shots", "K support images per class");
        binder.Add<int>("--queries", "query images per class");
        binder.Add<int>("--meta-batch", "episodes per step");
        binder.Add<int>("--episodes-per-epoch", "training episodes per epoch");
        binder.Add<int>("--epochs", "epochs");
        binder.Add<double>("--learning-rate", "SGD base learning rate (MetaOptNet schedule)");
        binder.Add<double>("--weight-decay", "weight decay");
        binder.Add<double>("--momentum", "Nesterov momentum");
        binder.Add<double>("--lambda-ratio", "λ₁/λ₁max of the SVM head");
        binder.Add<double>("--lambda2", "λ₂ of the SVM head");
        binder.Add<double>("--solver-tolerance", "inner duality-gap tolerance");
        binder.Add<double>("--lambda-max-tolerance", "relative accuracy of λ₁max");
        binder.Add<SvmHeadSolver>("--head-solver", "exact-dual (ours, to a duality gap) | projected-gradient (the released code's head; use --lambda2 1000)");
        binder.Add<double>("--dual-regularisation", "projected-gradient head: ρ of its dual term (released dual_reg)");
        binder.Add<int>("--head-steps", "projected-gradient head: gradient steps (released num_steps)");
        binder.Add<int>("--head-cg-steps", "projected-gradient head: conjugate-gradient iterations of its implicit differentiation");
        binder.Add<bool>("--augment", "random crop and flip of training images");
        binder.Add<int>("--validation-episodes", "validation episodes per epoch");
        binder.Add<long>("--seed", "seed");
        binder.Add<string>("--out", "run folder");
        var force = new Option<bool>("--force") { Description = "overwrite a meta-training run already in --out" };
        command.Options.Add(force);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            var options = binder.Bind(result);
            CommandRunner.PrintConfig(options);
            var experiment = new MetaLearningExperiment(options);
            var outcome = ProgressReporter.Run("meta-train", options.Epochs * options.StepsPerEpoch, p => experiment.Train(p,
                onEpoch: e => ProgressReporter.WriteLine($"epoch {e.Epoch}/{options.Epochs}: loss {e.Loss:F4}, accuracy {e.Accuracy:P1}, features used {e.FeatureFraction:P1}, scale {e.Scale:F3}" +
                    (double.IsNaN(e.ValidationAccuracy) ? "" : $", validation {e.ValidationAccuracy:P2}") + $" ({e.Seconds:F0} s)"),
                overwrite: result.GetValue(force)));
            Console.WriteLine($"{outcome.EpisodesPerSecond:F2} episodes/s; wrote {outcome.Folder}");
            return 0;
        }));
        return command;
    }
}
