using System.CommandLine;
using Disentangle.Cli.Commands;

namespace Disentangle.Cli;

/// <summary>Builds the <c>disentangle</c> command tree; each experiment is one <see cref="Command"/> with no logic of its own.</summary>
public static class CliApp
{
    /// <summary>The root command with every subcommand attached.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("Disentangle: disentangled representations by sparse multi-task learning (Lachapelle et al., ICML 2023).")
        {
            InfoCommand.Create(),
            SyntheticCommand.Create(),
            TrainCommand.Create(),
            EvaluateCommand.Create(),
            SweepCommand.Create(),
            ReportCommand.Create(),
            GalleryCommand.Create(),
            MetaTrainCommand.Create(),
            MetaTestCommand.Create(),
        };
        root.Subcommands.Add(CompletionCommand.Create(root));
        return root;
    }
}
