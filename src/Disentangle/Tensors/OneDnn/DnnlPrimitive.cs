using System.Runtime.InteropServices;
using static Disentangle.Tensors.OneDnn.DnnlApi;

namespace Disentangle.Tensors.OneDnn;

/// <summary>A oneDNN primitive descriptor and its primitive, created from an operation descriptor.</summary>
internal sealed unsafe class DnnlPrimitive : IDisposable
{
    private readonly nint primitive;

    /// <summary>Creates both; <paramref name="hint"/> is the forward primitive descriptor for a backward one (0 otherwise);
    /// <paramref name="relu"/> fuses max(·, 0) into the output (an eltwise post-op).</summary>
    public DnnlPrimitive(void* opDesc, nint engine, nint hint, bool relu = false)
    {
        nint pd, p, attr = 0, postOps = 0;
        try
        {
            if (relu)
            {
                Check(dnnl_primitive_attr_create(&attr), "dnnl_primitive_attr_create");
                Check(dnnl_post_ops_create(&postOps), "dnnl_post_ops_create");
                Check(dnnl_post_ops_append_eltwise(postOps, 1f, EltwiseRelu, 0f, 0f), "dnnl_post_ops_append_eltwise");
                Check(dnnl_primitive_attr_set_post_ops(attr, postOps), "dnnl_primitive_attr_set_post_ops");
            }
            Check(dnnl_primitive_desc_create(&pd, opDesc, attr, engine, hint), "dnnl_primitive_desc_create");
        }
        finally
        {
            if (postOps != 0) dnnl_post_ops_destroy(postOps);
            if (attr != 0) dnnl_primitive_attr_destroy(attr);
        }
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
