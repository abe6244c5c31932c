using System.CommandLine;
using Disentangle.Data.Latents;
using Disentangle.Data;
using Disentangle.Plots;

namespace Disentangle.Cli.Commands;

/// <summary><c>disentangle pairplot</c>: Figure 7, a pair plot of samples of a latent distribution.</summary>
public static class PairPlotCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("pairplot", "Figure 7: pair plot of the standardised latents drawn from a latent distribution (with latent noise).");
        var binder = new ConfigBinder<LatentPairPlotOptions>(command, new LatentPairPlotOptions());
        binder.Add<string>("--latents", $"latent distribution: {LatentDistributions.Usage}");
        binder.Add<double>("--latent-noise", "latent noise s in [0, 1]");
        binder.Add<int>("--samples", "samples drawn");
        binder.Add<long>("--seed", "seed of the draws");
        binder.Add<string>("--out", "file to write (the extension follows --format)");
        binder.Add<FigureFormat>("--format", "png | svg | pdf");
        command.SetAction(result => CommandRunner.Run(() =>
        {
            var options = binder.Bind(result);
            CommandRunner.PrintConfig(options);
            string path = FigureFile.OutputPath(options.Out, options.Format);
            PairPlot.Save(path, options.Draw(), ShapesFactors.Names, $"{options.Latents}, s={options.LatentNoise}");
            Console.WriteLine($"wrote {path}");
            return 0;
        }));
        return command;
    }
}
