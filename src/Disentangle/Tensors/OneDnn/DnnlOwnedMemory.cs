using System.Runtime.InteropServices;
using static Disentangle.Tensors.OneDnn.DnnlApi;

namespace Disentangle.Tensors.OneDnn;

/// <summary>A oneDNN memory over a native buffer of its own (64-byte aligned), allocated on first use: a memory that is
/// never used costs nothing, and one that is used is reused by every call.</summary>
internal sealed unsafe class DnnlOwnedMemory : IDisposable
{
    private readonly nint memory;
    private readonly nuint bytes;
    private void* buffer;

    /// <summary>A memory of descriptor <paramref name="md"/> on <paramref name="engine"/>, its buffer not yet allocated.</summary>
    public DnnlOwnedMemory(void* md, nint engine)
    {
        nint created;
        Check(dnnl_memory_create(&created, md, engine, null), "dnnl_memory_create");
        memory = created;
        bytes = dnnl_memory_desc_get_size(md);
    }

    /// <summary>The memory, over its buffer (allocated now if it was not yet).</summary>
    public nint Memory
    {
        get
        {
            if (buffer is null)
            {
                buffer = NativeMemory.AlignedAlloc(Math.Max(bytes, 64), 64);
                Check(dnnl_memory_set_data_handle(memory, buffer), "dnnl_memory_set_data_handle");
            }
            return memory;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        dnnl_memory_destroy(memory);
        if (buffer is not null) NativeMemory.AlignedFree(buffer);
    }
}
