// Shared by every kernel file; the host prepends it once when it builds the program.
//
// Build-time defines (set by TileConfig from the device's limits):
//   VW                 floats per vector in the GEMM and SpMM kernels (1 on GPUs: one float per
//                      work-item, neighbours coalesce; the preferred float vector width on CPUs)
//   CONTIGUOUS_CHUNKS  1 on CPUs: a work-item owns a contiguous run of elements, so the
//                      compiler vectorises the loop inside it; 0 on GPUs: grid-stride, so
//                      neighbouring work-items touch neighbouring addresses
// and by CpuParity, so that kernels compute the engine's CPU backend bit for bit:
//   CPU_LANES          float lanes of the CPU kernels' Vector API loops (8 with AVX2, 16 with
//                      AVX-512; 0 when they run scalar). A CPU kernel runs its vector loop over
//                      [0, n - n % CPU_LANES) and a scalar loop over the rest, and where the two
//                      round differently (exp, sums over lanes) we must do what each does.
//   CPU_ROW_LANES      the same for the softmax over a row (SoftmaxRowsVector), which runs 8
//                      lanes on every machine (VectorSupport.ROW_LANES; 0 when scalar).
//   HAVE_FP64          1 when the device has doubles: the CPU's scalar loops compute exp, log,
//                      tanh and pow in double and round to float, and sum losses in double.

// Java never contracts a*b+c into an fma; neither do we: every .cl file says so, and fma() is
// written out exactly where the CPU kernels call fma (FloatVector.fma, Math.fma).
#pragma OPENCL FP_CONTRACT OFF

#if HAVE_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

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

// The end of the CPU kernels' vector loop over n elements (FloatVector.SPECIES_PREFERRED.loopBound).
inline int cpu_row_vector_end(const int n)
{
    return CPU_ROW_LANES > 0 ? n - n % CPU_ROW_LANES : 0;
}

inline int cpu_vector_end(const int n)
{
    return CPU_LANES > 0 ? n - n % CPU_LANES : 0;
}
