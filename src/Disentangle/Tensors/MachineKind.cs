using System.Runtime.Intrinsics;

namespace Disentangle.Tensors;

/// <summary>What fixes a run's numbers besides its seed and thread count: the kernels that the GEMM, the convolutions and
/// .NET's vector code run on this CPU. Two machines that agree on <see cref="Vectors"/>, <see cref="Gemm"/> and
/// <see cref="Convolutions"/> train a run to the same bits; machines that differ in any one give another run (OpenBLAS,
/// oneDNN and .NET pick their kernels by instruction set, and the kernels sum in different orders).</summary>
/// <param name="Cpu">The CPU's model name (<c>/proc/cpuinfo</c>), for people: it does not decide the kernels.</param>
/// <param name="Vectors">The widest vectors .NET accelerates, e.g. <c>512-bit</c>.</param>
/// <param name="Gemm">The matrix products' kernels (<see cref="Tensors.Gemm.Kernel"/>), e.g. <c>OpenBLAS Zen</c>.</param>
/// <param name="Convolutions">The convolutions' kernels (<see cref="Convolution.Kernel"/>), e.g. <c>oneDNN cpu_isa_avx2</c>.</param>
public sealed record MachineKind(string Cpu, string Vectors, string Gemm, string Convolutions)
{
    /// <summary>This process's machine and kernels (the backends in use on the calling thread).</summary>
    public static MachineKind Current() =>
        new(CpuModel(), $"{VectorBits()}-bit", Tensors.Gemm.Kernel, Convolution.Kernel);

    /// <summary>Whether a run trained on <paramref name="other"/> continues here with the same kernels (the CPU's name
    /// aside), so that it stays bitwise the run an uninterrupted training gives.</summary>
    public bool SameKernels(MachineKind other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Vectors == other.Vectors && Gemm == other.Gemm && Convolutions == other.Convolutions;
    }

    /// <summary>One line for people: <c>AMD EPYC; .NET vectors 256-bit; GEMM OpenBLAS Zen; convolutions oneDNN cpu_isa_avx2</c>.</summary>
    public string Describe() => $"{Cpu}; .NET vectors {Vectors}; GEMM {Gemm}; convolutions {Convolutions}";

    /// <summary>The width in bits of the widest vectors .NET accelerates here (512, 256, 128, or 64 with none).</summary>
    public static int VectorBits() =>
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 64;

    /// <summary>The CPU's model name from <c>/proc/cpuinfo</c>, or the architecture where there is none.</summary>
    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        try
        {
            if (File.Exists(cpuInfo))
                foreach (var line in File.ReadLines(cpuInfo))
                    if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is int colon and > 0)
                        return line[(colon + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }
}
