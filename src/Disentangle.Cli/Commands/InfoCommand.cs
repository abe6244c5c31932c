using System.CommandLine;
using Disentangle.Tensors;

namespace Disentangle.Cli.Commands;

/// <summary><c>disentangle info</c>: version, machine and the numeric backends in use.</summary>
public static class InfoCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("info", "Print the version, the machine and the numeric backends in use.");
        command.SetAction(_ =>
        {
            Console.WriteLine($"disentangle {Disentangle.Io.ConfigFile.Version}");
            Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}");
            Console.WriteLine(Gemm.Describe());
            Console.WriteLine(Convolution.Describe());
            Console.WriteLine(Parallelism.Describe());
            Console.WriteLine($"machine: {MachineKind.Current().Describe()} (a seed and a thread count repeat a run bitwise wherever these kernels are the same)");
            return 0;
        });
        return command;
    }
}
