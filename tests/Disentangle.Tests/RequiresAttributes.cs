using Disentangle.Data.Hdf5;
using Disentangle.Data;
using Disentangle.FewShot;
using Disentangle.Tensors;

namespace Disentangle.Tests;

/// <summary>A theory that compares against OpenBLAS: reported as skipped, with the reason, where libopenblas.so.0 does not load.</summary>
public sealed class OpenBlasTheoryAttribute : TheoryAttribute
{
    public OpenBlasTheoryAttribute()
    {
        if (!Gemm.OpenBlasAvailable) Skip = "OpenBLAS (libopenblas.so.0) is not loadable here: apt-get install libopenblas0-pthread.";
    }
}

/// <summary>A fact about OpenBLAS: reported as skipped, with the reason, where libopenblas.so.0 does not load.</summary>
public sealed class OpenBlasFactAttribute : FactAttribute
{
    public OpenBlasFactAttribute()
    {
        if (!Gemm.OpenBlasAvailable) Skip = "OpenBLAS (libopenblas.so.0) is not loadable here: apt-get install libopenblas0-pthread.";
    }
}

/// <summary>A fact that needs the native libhdf5: reported as skipped, with the reason, where it does not load.</summary>
public sealed class NativeHdf5FactAttribute : FactAttribute
{
    public NativeHdf5FactAttribute()
    {
        if (!Hdf5Shapes.NativeAvailable) Skip = "libhdf5 is not loadable here: apt-get install libhdf5-103-1.";
    }
}

/// <summary>A fact that reads the Debian Fashion-MNIST files: reported as skipped, with the reason, where they are absent.</summary>
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public FashionMnistFactAttribute()
    {
        if (!FashionMnist.IsAvailable()) Skip = $"Fashion-MNIST is not installed in {FashionMnist.DefaultFolder}: apt-get install dataset-fashion-mnist.";
    }
}

/// <summary>A fact that submits jobs to Slurm: reported as skipped, with the reason, where no local test cluster answers
/// (scripts/local-slurm.sh starts one, as root; .ci/run does).</summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (Experiments.LocalSlurm.Unavailable() is { } reason) Skip = reason;
    }
}

/// <summary>A fact that interrupts a child CLI with SIGINT: reported as skipped, with the reason, where this process
/// inherited SIGINT as ignored (started in the background by a non-interactive shell, or under nohup). A child inherits
/// that too and, like other programs, keeps ignoring it, so Ctrl-C's path cannot be exercised there.</summary>
public sealed class SigintFactAttribute : FactAttribute
{
    public SigintFactAttribute()
    {
        if (SigintIgnored()) Skip = "SIGINT is ignored in the test process (inherited from a background or nohup start); a child CLI would inherit that.";
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern unsafe int sigaction(int signal, void* action, void* old);

    private static unsafe bool SigintIgnored()
    {
        if (!OperatingSystem.IsLinux()) return false;
        var old = stackalloc byte[512];   // struct sigaction; its handler is the first field
        return sigaction(2, null, old) == 0 && *(nint*)old == 1;   // SIG_IGN
    }
}
