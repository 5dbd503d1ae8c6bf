// Shared by every kernel file; the host prepends it once when it builds the program.
//
// Build-time defines (set by TileConfig from the device's limits):
//   VW                 floats per vector in the GEMM and SpMM kernels (1 on GPUs: one float per
//                      work-item, neighbours coalesce; the preferred float vector width on CPUs)
//   CONTIGUOUS_CHUNKS  1 on CPUs: a work-item owns a contiguous run of elements, so the
//                      compiler vectorises the loop inside it; 0 on GPUs: grid-stride, so
//                      neighbouring work-items touch neighbouring addresses

// Java never contracts a*b+c into an fma; neither do we, so elementwise results match the
// CPU kernels bit for bit where the operations are the same. GEMM asks for fma() explicitly.
#pragma OPENCL FP_CONTRACT OFF

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)

#if VW == 1
typedef float floatv;
#define VLOAD(i, p) ((p)[i])
#define VSTORE(x, i, p) ((p)[i] = (x))
#else
typedef CAT(float, VW) floatv;
#define VLOAD(i, p) CAT(vload, VW)(i, p)
#define VSTORE(x, i, p) CAT(vstore, VW)(x, i, p)
#endif

// Loops that must be unrolled for the accumulators to live in registers (PoCL keeps an
// array that a loop indexes in memory otherwise: 4x slower GEMM).
#define UNROLL _Pragma("unroll")

#if CONTIGUOUS_CHUNKS
// [first, end) of the contiguous chunk of [0, n) that this work-item owns.
inline int chunk_first(int n) {
    int size = (n + (int) get_global_size(0) - 1) / (int) get_global_size(0);
    return min(n, (int) get_global_id(0) * size);
}
inline int chunk_end(int n) {
    int size = (n + (int) get_global_size(0) - 1) / (int) get_global_size(0);
    return min(n, ((int) get_global_id(0) + 1) * size);
}
#define FOR_OWNED(i, n) for (int i = chunk_first(n), i##_end = chunk_end(n); i < i##_end; i++)
#else
#define FOR_OWNED(i, n) for (int i = (int) get_global_id(0); i < (n); i += (int) get_global_size(0))
#endif
