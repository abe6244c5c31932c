using System.CommandLine;
using Disentangle.Cli.Commands;
using Disentangle.Tensors;

namespace Disentangle.Cli;

/// <summary>Builds the <c>disentangle</c> command tree; each experiment is one <see cref="Command"/> with no logic of its own.</summary>
public static class CliApp
{
    private const string ThreadsName = "--threads";

    /// <summary>The root command with every subcommand attached and the <c>--threads</c> option every command accepts.</summary>
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
            PairPlotCommand.Create(),
            TraversalsCommand.Create(),
            MetaTrainCommand.Create(),
            MetaTestCommand.Create(),
        };
        root.Subcommands.Add(CompletionCommand.Create(root));
        root.Options.Add(new Option<int?>(ThreadsName)
        {
            Description = $"threads of OpenBLAS, oneDNN and every parallel loop (default: SLURM_CPUS_PER_TASK when set, else all {Environment.ProcessorCount} cores; a resumed run keeps its recorded value)",
            Recursive = true,
        });
        return root;
    }

    /// <summary>Parses <paramref name="args"/>, applies <c>--threads</c> to the process's thread policy, then runs the command.</summary>
    /// <returns>The command's exit code; 2 for a thread count below 1.</returns>
    public static int Run(string[] args)
    {
        var result = Build().Parse(args);
        if (ThreadsGiven(result) is int threads)
        {
            if (threads < 1)
            {
                Console.Error.WriteLine($"error: --threads must be at least 1 (got {threads}).");
                return 2;
            }
            Parallelism.Set(threads, ThreadsName);
        }
        // System.CommandLine's own termination handling is off: StopSignal decides (a step boundary, or at once); its
        // exception handler too: ErrorReport turns every failure into one line and a documented exit code.
        return result.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
    }

    /// <summary>The value of <c>--threads</c> when it was typed, else null.</summary>
    public static int? ThreadsGiven(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var option = result.RootCommandResult.Command.Options.OfType<Option<int?>>().First(o => o.Name == ThreadsName);
        return result.GetResult(option) is { Implicit: false } given ? given.GetValueOrDefault<int?>() : null;
    }
}
