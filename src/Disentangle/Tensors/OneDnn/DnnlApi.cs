using System.Runtime.InteropServices;

namespace Disentangle.Tensors.OneDnn;

/// <summary>The part of oneDNN's 2.x C API (<c>libdnnl.so.2</c>, <c>dnnl.h</c>) the convolution backend calls.</summary>
/// <remarks>Constants and struct sizes are those of oneDNN 2.6.3's headers; <see cref="DnnlRuntime"/> refuses another
/// major version. Descriptors are opaque blocks larger than the library's own structs (696 and 5,976 bytes).</remarks>
internal static unsafe class DnnlApi
{
    public const string Library = "libdnnl.so.2";
    public const string OpenMpLibrary = "libgomp.so.1";

    /// <summary>Bytes reserved for one <c>dnnl_memory_desc_t</c> (696 in 2.6.3).</summary>
    public const int MemoryDescBytes = 1024;
    /// <summary>Bytes reserved for one <c>dnnl_convolution_desc_t</c> (5,976 in 2.6.3).</summary>
    public const int ConvDescBytes = 8192;

    public const int Success = 0;
    public const int EngineCpu = 1;
    public const uint StreamDefaultFlags = 1;
    public const int F32 = 3;
    public const int TagAny = 1, TagX = 2, TagNchw = 5, TagOihw = 5;
    public const int ForwardTraining = 64;
    public const int ConvolutionDirect = 1;
    public const int EltwiseRelu = 31;
    public const int QuerySrcMd = 129, QueryDiffSrcMd = 130, QueryWeightsMd = 131, QueryDiffWeightsMd = 132, QueryDstMd = 133, QueryDiffDstMd = 134;
    public const int QueryImplInfoStr = 8;
    public const int ArgSrc = 1, ArgDst = 17, ArgWeights = 33, ArgBias = 41;
    public const int ArgDiffSrc = 129, ArgDiffDst = 145, ArgDiffWeights = 161, ArgDiffBias = 169;
    public const int ArgFrom = 1, ArgTo = 17;

    /// <summary><c>dnnl_exec_arg_t</c>: an argument index and a memory object.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ExecArg(int arg, nint memory)
    {
        public int Arg = arg;
        public nint Memory = memory;
    }

    /// <summary><c>dnnl_version_t</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Version
    {
        public int Major, Minor, Patch;
        public nint Hash;
        public uint CpuRuntime, GpuRuntime;
    }

    /// <summary>Throws with the call's name when a oneDNN status is not success.</summary>
    public static void Check(int status, string call)
    {
        if (status != Success) throw new InvalidOperationException($"oneDNN: {call} failed with status {status}.");
    }

    [DllImport(Library)] public static extern Version* dnnl_version();
    [DllImport(Library)] public static extern int dnnl_get_effective_cpu_isa();
    [DllImport(Library)] public static extern nint dnnl_cpu_isa2str(int isa);
    [DllImport(Library)] public static extern int dnnl_engine_create(nint* engine, int kind, nuint index);
    [DllImport(Library)] public static extern int dnnl_stream_create(nint* stream, nint engine, uint flags);
    [DllImport(Library)] public static extern int dnnl_stream_wait(nint stream);
    [DllImport(Library)] public static extern int dnnl_memory_desc_init_by_tag(void* md, int ndims, long* dims, int dataType, int tag);
    [DllImport(Library)] public static extern nuint dnnl_memory_desc_get_size(void* md);
    [DllImport(Library)] public static extern int dnnl_memory_desc_equal(void* lhs, void* rhs);

    [DllImport(Library)]
    public static extern int dnnl_convolution_forward_desc_init(void* desc, int propKind, int algKind, void* srcMd, void* weightsMd,
        void* biasMd, void* dstMd, long* strides, long* paddingLeft, long* paddingRight);

    [DllImport(Library)]
    public static extern int dnnl_convolution_backward_data_desc_init(void* desc, int algKind, void* diffSrcMd, void* weightsMd,
        void* diffDstMd, long* strides, long* paddingLeft, long* paddingRight);

    [DllImport(Library)]
    public static extern int dnnl_convolution_backward_weights_desc_init(void* desc, int algKind, void* srcMd, void* diffWeightsMd,
        void* diffBiasMd, void* diffDstMd, long* strides, long* paddingLeft, long* paddingRight);

    [DllImport(Library)] public static extern int dnnl_primitive_desc_create(nint* pd, void* opDesc, nint attr, nint engine, nint hint);
    [DllImport(Library)] public static extern int dnnl_primitive_desc_destroy(nint pd);
    [DllImport(Library)] public static extern void* dnnl_primitive_desc_query_md(nint pd, int what, int index);
    [DllImport(Library)] public static extern int dnnl_primitive_desc_query(nint pd, int what, int index, void* result);
    [DllImport(Library)] public static extern int dnnl_primitive_create(nint* primitive, nint pd);
    [DllImport(Library)] public static extern int dnnl_primitive_destroy(nint primitive);
    [DllImport(Library)] public static extern int dnnl_primitive_execute(nint primitive, nint stream, int nargs, ExecArg* args);

    [DllImport(Library)] public static extern int dnnl_memory_create(nint* memory, void* md, nint engine, void* handle);
    [DllImport(Library)] public static extern int dnnl_memory_set_data_handle(nint memory, void* handle);
    [DllImport(Library)] public static extern int dnnl_memory_get_data_handle(nint memory, void** handle);
    [DllImport(Library)] public static extern int dnnl_memory_destroy(nint memory);

    [DllImport(Library)] public static extern int dnnl_reorder_primitive_desc_create(nint* pd, void* srcMd, nint srcEngine, void* dstMd, nint dstEngine, nint attr);
    [DllImport(Library)] public static extern int dnnl_primitive_attr_create(nint* attr);
    [DllImport(Library)] public static extern int dnnl_primitive_attr_destroy(nint attr);
    [DllImport(Library)] public static extern int dnnl_primitive_attr_set_post_ops(nint attr, nint postOps);
    [DllImport(Library)] public static extern int dnnl_post_ops_create(nint* postOps);
    [DllImport(Library)] public static extern int dnnl_post_ops_destroy(nint postOps);
    [DllImport(Library)] public static extern int dnnl_post_ops_append_sum(nint postOps, float scale);
    [DllImport(Library)] public static extern int dnnl_post_ops_append_eltwise(nint postOps, float scale, int algKind, float alpha, float beta);

    [DllImport(OpenMpLibrary)] public static extern void omp_set_num_threads(int threads);
}
