using System.Runtime.InteropServices;
using static Disentangle.Tensors.OneDnn.DnnlApi;

namespace Disentangle.Tensors.OneDnn;

/// <summary>A oneDNN primitive descriptor and its primitive, created from an operation descriptor.</summary>
internal sealed unsafe class DnnlPrimitive : IDisposable
{
    private readonly nint primitive;

    /// <summary>Creates both; <paramref name="hint"/> is the forward primitive descriptor for a backward one (0 otherwise).</summary>
    public DnnlPrimitive(void* opDesc, nint engine, nint hint)
    {
        nint pd, p;
        Check(dnnl_primitive_desc_create(&pd, opDesc, 0, engine, hint), "dnnl_primitive_desc_create");
        Descriptor = pd;
        Check(dnnl_primitive_create(&p, pd), "dnnl_primitive_create");
        primitive = p;
    }

    /// <summary>The primitive descriptor (owned).</summary>
    public nint Descriptor { get; }

    /// <summary>The layout the primitive chose for one of its arguments (a <c>dnnl_query_*_md</c>), owned by the descriptor.</summary>
    public void* Md(int query) => dnnl_primitive_desc_query_md(Descriptor, query, 0);

    /// <summary>The implementation's name, e.g. <c>jit:avx512_core</c>.</summary>
    public string Implementation
    {
        get
        {
            nint text;
            return dnnl_primitive_desc_query(Descriptor, QueryImplInfoStr, 0, &text) == Success ? Marshal.PtrToStringUTF8(text) ?? "?" : "?";
        }
    }

    /// <summary>Executes on <paramref name="stream"/> with <paramref name="count"/> arguments.</summary>
    public void Run(nint stream, ExecArg* args, int count)
    {
        DnnlRuntime.ApplyThreads();
        Check(dnnl_primitive_execute(primitive, stream, count, args), "dnnl_primitive_execute");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        dnnl_primitive_destroy(primitive);
        dnnl_primitive_desc_destroy(Descriptor);
    }
}
