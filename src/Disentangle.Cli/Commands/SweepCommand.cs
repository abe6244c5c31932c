using System.CommandLine;
using Disentangle.Experiments;

namespace Disentangle.Cli.Commands;

/// <summary><c>disentangle sweep CONFIG</c>: a grid of training runs, locally N at a time or as a Slurm job array.</summary>
public static class SweepCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("sweep", "Expand a grid of 'train' options (e.g. method × latents × lambdaRatio × seed) into runs; run them locally or write a Slurm job array.");
        var config = new Argument<FileInfo>("config") { Description = "sweep file: {\"name\": …, \"base\": {train options}, \"grid\": {\"key\": [values…]}}" };
        var root = new Option<string>("--root") { Description = "folder that holds sweeps", DefaultValueFactory = _ => "runs" };
        var parallel = new Option<int>("--parallel") { Description = "runs trained at once", DefaultValueFactory = _ => 1 };
        var slurm = new Option<bool>("--slurm") { Description = "write sweep.slurm (one array index per run) instead of running" };
        var launcher = new Option<string?>("--launcher") { Description = "path of the disentangle launcher on the cluster (for --slurm) (default: ./disentangle, made absolute)", HelpName = "path" };
        var cpus = new Option<int>("--cpus-per-task") { Description = "CPUs per Slurm task", DefaultValueFactory = _ => 2 };
        var hours = new Option<int>("--hours") { Description = "Slurm time limit per run, hours", DefaultValueFactory = _ => 4 };
        var dryRun = new Option<bool>("--dry-run") { Description = "only list the runs and write their configs" };
        var index = new Option<int?>("--index") { Description = "train and evaluate only run INDEX of the grid (what each Slurm array task does)" };
        command.Arguments.Add(config);
        foreach (var option in new Option[] { root, parallel, slurm, launcher, cpus, hours, dryRun, index }) command.Options.Add(option);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            var spec = SweepSpec.Load(result.GetValue(config)!.FullName);
            var runner = new SweepRunner(spec, result.GetValue(root)!);
            if (result.GetValue(index) is int only)
            {
                var (name, scores) = runner.RunOne(only);
                Console.WriteLine($"  {only} {name}: MCC {scores.Mcc:F3} R {scores.R:F3}");
                return 0;
            }
            var plan = runner.WriteConfigs();
            Console.WriteLine($"sweep '{spec.Name}': {plan.Count} runs in {runner.Folder}");
            foreach (var (run, _) in plan) Console.WriteLine($"  {run.Index,4}  {run.Name}");
            if (result.GetValue(dryRun)) return 0;
            if (result.GetValue(slurm))
            {
                var script = runner.WriteSlurm(result.GetValue(launcher) ?? Path.GetFullPath("disentangle"), result.GetValue(cpus), result.GetValue(hours));
                Console.WriteLine($"wrote {script}; submit it with: sbatch {script}");
                return 0;
            }
            ProgressReporter.Run($"sweep {spec.Name}", plan.Count, progress =>
            {
                int done = 0;
                runner.RunLocally(result.GetValue(parallel), (name, scores) =>
                {
                    ProgressReporter.WriteLine($"  {name}: MCC {scores.Mcc:F3} R {scores.R:F3}");
                    progress.Report(Interlocked.Increment(ref done));
                });
                return 0;
            });
            Console.WriteLine($"then: disentangle report {runner.Folder}");
            return 0;
        }));
        return command;
    }
}
