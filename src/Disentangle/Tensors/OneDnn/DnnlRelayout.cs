using static Disentangle.Tensors.OneDnn.DnnlApi;

namespace Disentangle.Tensors.OneDnn;

/// <summary>Moves values held in one oneDNN layout into another (a cached reorder into a buffer of its own, allocated on
/// first use), or passes the memory through when both layouts are the same.</summary>
internal sealed unsafe class DnnlRelayout : IDisposable
{
    private readonly DnnlReorder? reorder;
    private readonly DnnlOwnedMemory? target;

    public DnnlRelayout(nint fromMd, nint toMd, nint engine)
    {
        if (dnnl_memory_desc_equal((void*)fromMd, (void*)toMd) != 0) return;
        target = new DnnlOwnedMemory((void*)toMd, engine);
        reorder = new DnnlReorder((void*)fromMd, (void*)toMd, engine, false);
    }

    /// <summary>A memory in the target layout holding <paramref name="source"/>'s values (<paramref name="source"/> itself when the layouts agree).</summary>
    public nint From(nint source)
    {
        if (reorder is null) return source;
        reorder.Run(DnnlRuntime.Stream, source, target!.Memory);
        return target.Memory;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        reorder?.Dispose();
        target?.Dispose();
    }
}
