// C = alpha * op(A) * op(B) + beta * C, row-major, any m, n, k, with the bits of the engine's
// CPU GEMM (cpu/gemm/Gemm.kBlockDepth): K is cut into blocks of depth kBlock; within a block
// each element of C is one fma chain from zero in k order, and the blocks land in C in order,
// the first as alpha*block + beta*C (alpha*block when beta = 0: C unread, as BLAS), each later
// one as C + alpha*block. Every operation is correctly rounded, so the same order gives the
// same bits on any device; how the work is tiled does not change it.
//
// op(A)(i, p) = a[aOff + i*aRowStride + p*aColStride]: (lda, 1) for A as stored, (1, lda) for
// A^T; likewise B. So one kernel serves NN, NT, TN and TT; the transposes cost only in the
// packing, which touches each element once per tile, never in the inner loop.
//
// Work-group tile: TS_M rows x TS_N columns of C. Per K tile (at most TS_K deep, never across
// a block boundary) the group packs op(A) and op(B) into local memory (zeros outside the
// matrices, so edge tiles need no test in the inner loop), then each work-item runs a
// register-blocked micro-kernel over its micro-tiles of RM rows x RNV vectors of VW columns:
// RM*RNV accumulators, each product one broadcast of A times one vector of B (a BLIS
// micro-kernel; 6 x 2 vectors of 8 on AVX2). Two shapes keep a block's chain in registers:
//   - CPUs: one work-item a group, owning every micro-tile of the tile; TS_K covers the deepest
//     block, so a K tile is a whole block (the host checks kBlock <= TS_K).
//   - GPUs: one micro-tile a work-item (ACC_ACROSS_TILES); its accumulators live across the K
//     tiles of a block.
//
// Defines: TS_M, TS_N, TS_K, WX, WY (work-group shape), RM, RNV, VW.
// TS_M % RM == 0 and TS_N % (RNV*VW) == 0; C must not overlap A or B.
#pragma OPENCL FP_CONTRACT OFF

#define MICRO_N (RNV * VW)
#define MT_M (TS_M / RM)
#define MT_N (TS_N / MICRO_N)
#define ACC_ACROSS_TILES (MT_M == WY && MT_N == WX)

__kernel __attribute__((reqd_work_group_size(WX, WY, 1)))
void gemm(const int m, const int n, const int k, const int kBlock, const float alpha,
          __global const float* a, const int aOff, const int aRowStride, const int aColStride,
          __global const float* b, const int bOff, const int bRowStride, const int bColStride,
          const float beta, __global float* c, const int cOff, const int ldc)
{
    // op(A) tile as MT_M micro-panels, each k-major [p][RM]: the micro-kernel reads RM
    // consecutive floats per step p.
    __local float aTile[TS_M * TS_K];
    // op(B) tile row-major [p][TS_N]: a micro-kernel step reads RNV consecutive vectors.
    __local float bTile[TS_K * TS_N];
    const int lx = get_local_id(0);
    const int ly = get_local_id(1);
    const int row0 = get_group_id(1) * TS_M;
    const int col0 = get_group_id(0) * TS_N;
    floatv acc[RM][RNV];

    for (int blockStart = 0; blockStart < k; blockStart += kBlock) {
        const int blockEnd = min(k, blockStart + kBlock);
        for (int k0 = blockStart; k0 < blockEnd; k0 += TS_K) {
            const int kc = min(TS_K, blockEnd - k0);
#if ACC_ACROSS_TILES
            const bool startsBlock = k0 == blockStart;
#else
            const bool startsBlock = true; // a K tile is a whole block
#endif
            // Pack the kc steps the micro-kernel reads. Work-items stride over p with lx, so on
            // a GPU neighbours read neighbouring addresses of row-major A and of B^T.
            for (int i = ly; i < TS_M; i += WY) {
                const int gi = row0 + i;
                __local float* dst = aTile + (i / RM) * (RM * TS_K) + i % RM;
                for (int p = lx; p < kc; p += WX) {
                    dst[p * RM] = gi < m ? a[aOff + gi * aRowStride + (k0 + p) * aColStride] : 0.0f;
                }
            }
            for (int p = ly; p < kc; p += WY) {
                for (int j = lx; j < TS_N; j += WX) {
                    const int gj = col0 + j;
                    bTile[p * TS_N + j] = gj < n ? b[bOff + (k0 + p) * bRowStride + gj * bColStride] : 0.0f;
                }
            }
            barrier(CLK_LOCAL_MEM_FENCE);

            for (int mt = ly; mt < MT_M; mt += WY) {
                for (int nt = lx; nt < MT_N; nt += WX) {
                    if (startsBlock) {
                        UNROLL for (int i = 0; i < RM; i++) {
                            UNROLL for (int j = 0; j < RNV; j++) {
                                acc[i][j] = (floatv) (0.0f);
                            }
                        }
                    }
                    __local const float* ap = aTile + mt * (RM * TS_K);
                    __local const float* bp = bTile + nt * MICRO_N;
                    for (int p = 0; p < kc; p++) {
                        floatv bv[RNV];
                        UNROLL for (int j = 0; j < RNV; j++) {
                            bv[j] = VLOAD(j, bp + p * TS_N);
                        }
                        UNROLL for (int i = 0; i < RM; i++) {
                            const floatv av = (floatv) (ap[p * RM + i]);
                            UNROLL for (int j = 0; j < RNV; j++) {
                                acc[i][j] = fma(av, bv[j], acc[i][j]);
                            }
                        }
                    }
                    if (k0 + kc < blockEnd) {
                        continue; // the block goes on in the next K tile (GPUs only)
                    }
                    const bool firstBlock = blockStart == 0;
                    const int gi0 = row0 + mt * RM;
                    const int gj0 = col0 + nt * MICRO_N;
                    const bool whole = gi0 + RM <= m && gj0 + MICRO_N <= n;
                    UNROLL for (int i = 0; i < RM; i++) {
                        UNROLL for (int j = 0; j < RNV; j++) {
                            __global float* cp = c + cOff + (gi0 + i) * ldc + gj0 + j * VW;
                            const floatv v = alpha * acc[i][j];
                            if (whole) {
                                const floatv out = !firstBlock ? VLOAD(0, cp) + v
                                                 : beta == 0.0f ? v : v + beta * VLOAD(0, cp);
                                VSTORE(out, 0, cp);
                            } else {
                                float lanes[VW];
                                VSTORE(v, 0, lanes);
                                for (int e = 0; e < VW; e++) {
                                    if (gi0 + i < m && gj0 + j * VW + e < n) {
                                        cp[e] = !firstBlock ? cp[e] + lanes[e]
                                              : beta == 0.0f ? lanes[e] : lanes[e] + beta * cp[e];
                                    }
                                }
                            }
                        }
                    }
                }
            }
            barrier(CLK_LOCAL_MEM_FENCE);
        }
    }
}

// C = beta * C over an m x n block: the whole GEMM when k = 0 or alpha = 0 (A and B unread).
__kernel void gemm_scale(const int m, const int n, const float beta, __global float* c, const int cOff, const int ldc)
{
    FOR_OWNED(t, m * n) {
        const int idx = cOff + (t / n) * ldc + t % n;
        c[idx] = beta == 0.0f ? 0.0f : beta * c[idx];
    }
}
