// CSR sparse times dense: C[m x n] = A[m x k] * B[k x n], A as (rowPtr, colIdx, values), B and
// C row-major with row strides ldb, ldc (n is the contiguous dimension).
//
// A work-item owns one row r of C and a block of SPMM_NV vectors of VW columns: each nonzero
// A[r, col] is broadcast and multiplied into B's row col, contiguous along n (as XNNPACK's
// f32-spmm). On a GPU (VW = 1, SPMM_NV = 1) neighbouring work-items take neighbouring columns
// of the same row, so B's row is read coalesced. Global size: (ceil(n / (SPMM_NV*VW)), m).
#pragma OPENCL FP_CONTRACT OFF

#define SPMM_BLOCK (SPMM_NV * VW)

__kernel void csr_spmm(const int m, const int n, __global const int* rowPtr, __global const int* colIdx,
                       __global const float* values, __global const float* b, const int bOff, const int ldb,
                       __global float* c, const int cOff, const int ldc)
{
    const int r = get_global_id(1);
    const int j0 = get_global_id(0) * SPMM_BLOCK;
    if (r >= m || j0 >= n) {
        return;
    }
    const int first = rowPtr[r];
    const int end = rowPtr[r + 1];
    __global float* cr = c + cOff + r * ldc + j0;
    if (j0 + SPMM_BLOCK <= n) {
        floatv acc[SPMM_NV];
        UNROLL for (int j = 0; j < SPMM_NV; j++) {
            acc[j] = (floatv) (0.0f);
        }
        for (int q = first; q < end; q++) {
            const floatv av = (floatv) (values[q]);
            __global const float* br = b + bOff + colIdx[q] * ldb + j0;
            UNROLL for (int j = 0; j < SPMM_NV; j++) {
                acc[j] = fma(av, VLOAD(j, br), acc[j]);
            }
        }
        UNROLL for (int j = 0; j < SPMM_NV; j++) {
            VSTORE(acc[j], j, cr);
        }
    } else {
        // The right edge: fewer than a block of columns left.
        for (int j = 0; j < n - j0; j++) {
            float acc = 0.0f;
            for (int q = first; q < end; q++) {
                acc = fma(values[q], b[bOff + colIdx[q] * ldb + j0 + j], acc);
            }
            cr[j] = acc;
        }
    }
}
