using Disentangle.Tensors;

namespace Disentangle.Cli;

/// <summary>The thread count a run uses when none is given: <c>SLURM_CPUS_PER_TASK</c> inside a Slurm task (what
/// <c>sweep --slurm --cpus-per-task N</c> asks for), otherwise every core.</summary>
public static class ThreadDefaults
{
    /// <summary>The environment variable Slurm sets from <c>--cpus-per-task</c>.</summary>
    public const string SlurmCpusPerTask = "SLURM_CPUS_PER_TASK";

    /// <summary>The default thread count, and where it came from.</summary>
    public static (int Threads, string Source) Resolve()
    {
        string? value = Environment.GetEnvironmentVariable(SlurmCpusPerTask);
        return int.TryParse(value, out int cpus) && cpus >= 1
            ? (cpus, SlurmCpusPerTask)
            : (Environment.ProcessorCount, "cores");
    }

    /// <summary>Applies <see cref="Resolve"/> to the tensor kernels and OpenBLAS.</summary>
    public static void Apply() => Parallelism.MaxThreads = Resolve().Threads;
}
