using Disentangle.Tensors.OneDnn;

namespace Disentangle.Tensors;

/// <summary>Which implementation <see cref="Tensor.Conv2d(Tensor, Tensor?, int, Padding2d)"/> uses.</summary>
public enum ConvBackend
{
    /// <summary>oneDNN 2.x (<c>libdnnl.so.2</c>): direct convolutions in the layouts the library prefers (blocked, JIT kernels).</summary>
    OneDnn,
    /// <summary>im2col + one GEMM per chunk of images (<see cref="Gemm"/>), the portable fallback.</summary>
    Im2ColGemm,
}

/// <summary>Chooses the convolution backend: oneDNN when <c>libdnnl.so.2</c> loads, im2col + GEMM otherwise.</summary>
/// <remarks>The two agree within float32 rounding, not bitwise, so a run's numbers depend on the backend as they do on the
/// thread count. <see cref="Override"/> forces one on the calling thread (tests compare the two this way);
/// <c>DISENTANGLE_CONV=im2col</c> forces the fallback for the whole process.</remarks>
public static class Convolution
{
    [ThreadStatic] private static ConvBackend? threadOverride;

    /// <summary>True when oneDNN loaded (version 2.x) and created its CPU engine.</summary>
    public static bool OneDnnAvailable => DnnlRuntime.Available;

    /// <summary>The process-wide default backend.</summary>
    public static ConvBackend Default => OneDnnAvailable ? ConvBackend.OneDnn : ConvBackend.Im2ColGemm;

    /// <summary>The backend the calling thread uses now.</summary>
    public static ConvBackend Current => threadOverride ?? Default;

    /// <summary>Forces <paramref name="backend"/> on the calling thread until the returned scope is disposed.</summary>
    /// <exception cref="InvalidOperationException">oneDNN is asked for but is not available.</exception>
    public static IDisposable Override(ConvBackend backend)
    {
        if (backend == ConvBackend.OneDnn && !OneDnnAvailable)
            throw new InvalidOperationException($"Convolution: the oneDNN backend is {DnnlRuntime.Status}.");
        var previous = threadOverride;
        threadOverride = backend;
        return new Scope(previous);
    }

    /// <summary>A one-line description of the backend in use and why, printed by <c>info</c> and at the start of a run.</summary>
    public static string Describe() => Current == ConvBackend.OneDnn
        ? $"convolutions: {DnnlRuntime.Status}"
        : $"convolutions: im2col + GEMM (oneDNN {DnnlRuntime.Status})";

    /// <summary>The kernels the backend in use runs: oneDNN and the instruction set its JIT kernels target (e.g.
    /// <c>oneDNN cpu_isa_avx2</c>), or im2col + the GEMM's kernel. Part of <see cref="MachineKind"/>.</summary>
    public static string Kernel => Current == ConvBackend.OneDnn
        ? $"oneDNN {System.Runtime.InteropServices.Marshal.PtrToStringAnsi(DnnlApi.dnnl_cpu_isa2str(DnnlApi.dnnl_get_effective_cpu_isa())) ?? "(unknown ISA)"}"
        : $"im2col + {Gemm.Kernel}";

    private sealed class Scope(ConvBackend? previous) : IDisposable
    {
        public void Dispose() => threadOverride = previous;
    }
}
