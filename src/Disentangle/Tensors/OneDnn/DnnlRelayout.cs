using System.Runtime.InteropServices;
using static Disentangle.Tensors.OneDnn.DnnlApi;

namespace Disentangle.Tensors.OneDnn;

/// <summary>Moves values held in one oneDNN layout into another (a cached reorder into a buffer of its own, allocated on
/// first use), or passes the memory through when both layouts are the same.</summary>
internal sealed unsafe class DnnlRelayout : IDisposable
{
    private readonly DnnlReorder? reorder;
    private readonly nint target;
    private readonly nuint bytes;
    private void* buffer;

    public DnnlRelayout(nint fromMd, nint toMd, nint engine)
    {
        if (dnnl_memory_desc_equal((void*)fromMd, (void*)toMd) != 0) return;
        nint memory;
        Check(dnnl_memory_create(&memory, (void*)toMd, engine, null), "dnnl_memory_create");
        target = memory;
        bytes = dnnl_memory_desc_get_size((void*)toMd);
        reorder = new DnnlReorder((void*)fromMd, (void*)toMd, engine, false);
    }

    /// <summary>A memory in the target layout holding <paramref name="source"/>'s values (<paramref name="source"/> itself when the layouts agree).</summary>
    public nint From(nint source)
    {
        if (reorder is null) return source;
        if (buffer is null)
        {
            buffer = NativeMemory.AlignedAlloc(Math.Max(bytes, 64), 64);
            Check(dnnl_memory_set_data_handle(target, buffer), "dnnl_memory_set_data_handle");
        }
        reorder.Run(DnnlRuntime.Stream, source, target);
        return target;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (reorder is null) return;
        reorder.Dispose();
        dnnl_memory_destroy(target);
        if (buffer is not null) NativeMemory.AlignedFree(buffer);
    }
}
