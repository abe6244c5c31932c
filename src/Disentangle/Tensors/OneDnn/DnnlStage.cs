using static Disentangle.Tensors.OneDnn.DnnlApi;

namespace Disentangle.Tensors.OneDnn;

/// <summary>One argument of a oneDNN primitive seen from both sides: the caller's plain array (NCHW, OIHW, x) and the
/// layout the primitive chose (often blocked, e.g. <c>nChw16c</c>), with the reorder between them.</summary>
/// <remarks>The primitive-layout buffer is allocated on first use (64-byte aligned, native) and reused by every call, so a
/// step allocates nothing here, and a stage never used costs no memory. An input whose layouts agree is passed through
/// without a copy; an output either writes the caller's array directly or is reordered into it, adding to its content
/// when <c>accumulate</c> (gradients). An output made with <c>keep</c> always has its own buffer, which holds the
/// primitive's result until the next call (a chain of convolutions reads its activations there).</remarks>
internal sealed unsafe class DnnlStage : IDisposable
{
    private readonly nint user;
    private readonly DnnlOwnedMemory? own;   // null when the primitive reads or writes the caller's array in place
    private readonly DnnlReorder? reorder;

    private DnnlStage(void* userMd, void* primitiveMd, nint engine, bool input, bool accumulate, bool keep)
    {
        nint memory;
        Check(dnnl_memory_create(&memory, userMd, engine, null), "dnnl_memory_create");
        user = memory;
        if (!accumulate && !keep && dnnl_memory_desc_equal(userMd, primitiveMd) != 0) return;
        own = new DnnlOwnedMemory(primitiveMd, engine);
        reorder = input ? new DnnlReorder(userMd, primitiveMd, engine, false) : new DnnlReorder(primitiveMd, userMd, engine, accumulate);
    }

    /// <summary>A primitive input read from a plain array.</summary>
    public static DnnlStage Input(void* userMd, void* primitiveMd, nint engine) => new(userMd, primitiveMd, engine, true, false, false);

    /// <summary>A primitive output delivered to a plain array, overwriting it or (<paramref name="accumulate"/>) adding to
    /// it; with <paramref name="keep"/> the primitive always writes the stage's own buffer (<see cref="Kept"/>).</summary>
    public static DnnlStage Output(void* userMd, void* primitiveMd, nint engine, bool accumulate, bool keep = false) =>
        new(userMd, primitiveMd, engine, false, accumulate, keep);

    /// <summary>The memory in the primitive's layout, over the stage's own buffer (allocated now if it was not yet);
    /// for a pass-through stage, the caller's memory.</summary>
    public nint Kept => own?.Memory ?? user;

    /// <summary>The array whose values the primitive-layout buffer holds now (set by <see cref="In"/>), so a later
    /// primitive of the same step can skip the reorder; null when unknown.</summary>
    public object? HeldFrom { get; private set; }

    /// <summary>True when the primitive reads or writes the caller's array in place.</summary>
    public bool PassThrough => reorder is null;

    /// <summary>The memory the primitive reads, holding <paramref name="data"/> (reordered into the primitive's layout when needed).</summary>
    public nint In(nint stream, void* data, object? owner = null)
    {
        Check(dnnl_memory_set_data_handle(user, data), "dnnl_memory_set_data_handle");
        if (reorder is not null) reorder.Run(stream, user, Kept);
        HeldFrom = reorder is null ? null : owner;   // null owner: nothing to reuse
        return Kept;
    }

    /// <summary>The memory already holding <paramref name="owner"/>'s values, or null when it holds something else.</summary>
    public nint? Holding(object owner) => reorder is not null && ReferenceEquals(HeldFrom, owner) ? Kept : null;

    /// <summary>Forgets what the buffer holds (it is about to be overwritten by another array).</summary>
    public void Forget() => HeldFrom = null;

    /// <summary>The memory the primitive writes; <see cref="Finish"/> then delivers it to <paramref name="data"/>.</summary>
    public nint Out(void* data)
    {
        Check(dnnl_memory_set_data_handle(user, data), "dnnl_memory_set_data_handle");
        return Kept;
    }

    /// <summary>Reorders the primitive's output into the caller's array (adding when accumulating); no-op when in place.</summary>
    public void Finish(nint stream) => reorder?.Run(stream, Kept, user);

    /// <inheritdoc/>
    public void Dispose()
    {
        reorder?.Dispose();
        own?.Dispose();
        dnnl_memory_destroy(user);
    }
}

/// <summary>A cached oneDNN reorder primitive between two layouts; with <c>accumulate</c> it adds into the destination (sum post-op).</summary>
internal sealed unsafe class DnnlReorder : IDisposable
{
    private readonly nint descriptor, primitive;

    public DnnlReorder(void* fromMd, void* toMd, nint engine, bool accumulate)
    {
        nint attr = 0, postOps = 0, pd;
        try
        {
            if (accumulate)
            {
                Check(dnnl_primitive_attr_create(&attr), "dnnl_primitive_attr_create");
                Check(dnnl_post_ops_create(&postOps), "dnnl_post_ops_create");
                Check(dnnl_post_ops_append_sum(postOps, 1f), "dnnl_post_ops_append_sum");
                Check(dnnl_primitive_attr_set_post_ops(attr, postOps), "dnnl_primitive_attr_set_post_ops");
            }
            Check(dnnl_reorder_primitive_desc_create(&pd, fromMd, engine, toMd, engine, attr), "dnnl_reorder_primitive_desc_create");
        }
        finally
        {
            if (postOps != 0) dnnl_post_ops_destroy(postOps);
            if (attr != 0) dnnl_primitive_attr_destroy(attr);
        }
        descriptor = pd;
        nint p;
        Check(dnnl_primitive_create(&p, pd), "dnnl_primitive_create (reorder)");
        primitive = p;
    }

    public void Run(nint stream, nint from, nint to)
    {
        var args = stackalloc ExecArg[2];
        args[0] = new ExecArg(ArgFrom, from);
        args[1] = new ExecArg(ArgTo, to);
        DnnlRuntime.ApplyThreads();
        Check(dnnl_primitive_execute(primitive, stream, 2, args), "dnnl_primitive_execute (reorder)");
    }

    public void Dispose()
    {
        dnnl_primitive_destroy(primitive);
        dnnl_primitive_desc_destroy(descriptor);
    }
}
