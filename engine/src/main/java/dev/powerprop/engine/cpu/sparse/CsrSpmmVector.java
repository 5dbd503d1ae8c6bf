package dev.powerprop.engine.cpu.sparse;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API SpMM kernel. Only loaded when {@code VectorSupport.ENABLED}.
 *
 * <p>For row m, a block of C[m, j:j+w] lives in vector registers while the row's nonzeros go
 * by; each nonzero a[m,k] is broadcast once and FMA'd into the w contiguous floats of B[k, j:].
 * Blocks are named by their width in floats: 64 (8 vectors), 32, 16 and 8, then a scalar tail.
 * Every block keeps 8 independent accumulators: Zen 3 retires 2 FMAs a cycle with a latency of
 * 4, so fewer chains leave the FMA pipes idle. The narrow blocks get their 8 chains by splitting
 * the nonzeros into 2 (w = 32) or 4 (w = 16, 8) interleaved partial sums, added at the end.
 * 8 accumulators + a broadcast + a loaded B vector stay well under the 16 ymm registers.
 *
 * <p>Columns are walked in panels of {@link #PANEL} floats for all rows of the range before the
 * next panel, so the slice of B being read (cols x PANEL floats, 256 KB for cols = 1024) can
 * stay in the core's 512 KB L2 rather than streaming all of B for every row. On the shared
 * reference machine panels of 64, 128 and 1024 (none) measured within its noise of each other at
 * 1024 x 1024, n = 256 (bench/RESULTS.md, "Sparse"); {@code -Dpowerprop.spmm.panel} sets it.
 */
final class CsrSpmmVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = 8;
    /** Columns per panel: a multiple of 64 so that panels are made of whole 64-wide blocks. */
    static final int PANEL = Integer.getInteger("powerprop.spmm.panel", 64);

    private CsrSpmmVector() {}

    static void rows(int r0, int r1, int[] rowPtr, int[] colIdx, float[] values, float[] b, int n,
                     float[] c, float[] bias, boolean accumulate) {
        int vectorEnd = n - n % L;
        for (int j0 = 0; j0 < vectorEnd; j0 += PANEL) {
            int j1 = Math.min(vectorEnd, j0 + PANEL);
            for (int r = r0; r < r1; r++) {
                int p0 = rowPtr[r];
                int p1 = rowPtr[r + 1];
                float init = bias == null ? 0f : bias[r];
                int cRow = r * n;
                int j = j0;
                for (; j + 64 <= j1; j += 64) {
                    block64(p0, p1, colIdx, values, b, n, j, c, cRow + j, init, accumulate);
                }
                if (j + 32 <= j1) {
                    block32(p0, p1, colIdx, values, b, n, j, c, cRow + j, init, accumulate);
                    j += 32;
                }
                if (j + 16 <= j1) {
                    block16(p0, p1, colIdx, values, b, n, j, c, cRow + j, init, accumulate);
                    j += 16;
                }
                if (j + 8 <= j1) {
                    block8(p0, p1, colIdx, values, b, n, j, c, cRow + j, init, accumulate);
                }
            }
        }
        if (vectorEnd < n) {
            CsrSpmmScalar.rows(r0, r1, rowPtr, colIdx, values, b, n, c, bias, accumulate, vectorEnd, n);
        }
    }

    private static FloatVector start(float[] c, int at, float init, boolean accumulate) {
        FloatVector v = FloatVector.broadcast(S, init);
        return accumulate ? FloatVector.fromArray(S, c, at).add(v) : v;
    }

    private static void block64(int p0, int p1, int[] colIdx, float[] values, float[] b, int n, int j,
                                float[] c, int at, float init, boolean accumulate) {
        FloatVector c0 = start(c, at, init, accumulate);
        FloatVector c1 = start(c, at + 8, init, accumulate);
        FloatVector c2 = start(c, at + 16, init, accumulate);
        FloatVector c3 = start(c, at + 24, init, accumulate);
        FloatVector c4 = start(c, at + 32, init, accumulate);
        FloatVector c5 = start(c, at + 40, init, accumulate);
        FloatVector c6 = start(c, at + 48, init, accumulate);
        FloatVector c7 = start(c, at + 56, init, accumulate);
        for (int p = p0; p < p1; p++) {
            FloatVector a = FloatVector.broadcast(S, values[p]);
            int k = colIdx[p] * n + j;
            c0 = FloatVector.fromArray(S, b, k).fma(a, c0);
            c1 = FloatVector.fromArray(S, b, k + 8).fma(a, c1);
            c2 = FloatVector.fromArray(S, b, k + 16).fma(a, c2);
            c3 = FloatVector.fromArray(S, b, k + 24).fma(a, c3);
            c4 = FloatVector.fromArray(S, b, k + 32).fma(a, c4);
            c5 = FloatVector.fromArray(S, b, k + 40).fma(a, c5);
            c6 = FloatVector.fromArray(S, b, k + 48).fma(a, c6);
            c7 = FloatVector.fromArray(S, b, k + 56).fma(a, c7);
        }
        c0.intoArray(c, at);
        c1.intoArray(c, at + 8);
        c2.intoArray(c, at + 16);
        c3.intoArray(c, at + 24);
        c4.intoArray(c, at + 32);
        c5.intoArray(c, at + 40);
        c6.intoArray(c, at + 48);
        c7.intoArray(c, at + 56);
    }

    private static void block32(int p0, int p1, int[] colIdx, float[] values, float[] b, int n, int j,
                                float[] c, int at, float init, boolean accumulate) {
        FloatVector c0 = start(c, at, init, accumulate);
        FloatVector c1 = start(c, at + 8, init, accumulate);
        FloatVector c2 = start(c, at + 16, init, accumulate);
        FloatVector c3 = start(c, at + 24, init, accumulate);
        FloatVector d0 = FloatVector.zero(S);
        FloatVector d1 = FloatVector.zero(S);
        FloatVector d2 = FloatVector.zero(S);
        FloatVector d3 = FloatVector.zero(S);
        int p = p0;
        for (; p + 1 < p1; p += 2) {
            FloatVector a = FloatVector.broadcast(S, values[p]);
            int k = colIdx[p] * n + j;
            c0 = FloatVector.fromArray(S, b, k).fma(a, c0);
            c1 = FloatVector.fromArray(S, b, k + 8).fma(a, c1);
            c2 = FloatVector.fromArray(S, b, k + 16).fma(a, c2);
            c3 = FloatVector.fromArray(S, b, k + 24).fma(a, c3);
            FloatVector e = FloatVector.broadcast(S, values[p + 1]);
            int q = colIdx[p + 1] * n + j;
            d0 = FloatVector.fromArray(S, b, q).fma(e, d0);
            d1 = FloatVector.fromArray(S, b, q + 8).fma(e, d1);
            d2 = FloatVector.fromArray(S, b, q + 16).fma(e, d2);
            d3 = FloatVector.fromArray(S, b, q + 24).fma(e, d3);
        }
        if (p < p1) {
            FloatVector a = FloatVector.broadcast(S, values[p]);
            int k = colIdx[p] * n + j;
            c0 = FloatVector.fromArray(S, b, k).fma(a, c0);
            c1 = FloatVector.fromArray(S, b, k + 8).fma(a, c1);
            c2 = FloatVector.fromArray(S, b, k + 16).fma(a, c2);
            c3 = FloatVector.fromArray(S, b, k + 24).fma(a, c3);
        }
        c0.add(d0).intoArray(c, at);
        c1.add(d1).intoArray(c, at + 8);
        c2.add(d2).intoArray(c, at + 16);
        c3.add(d3).intoArray(c, at + 24);
    }

    private static void block16(int p0, int p1, int[] colIdx, float[] values, float[] b, int n, int j,
                                float[] c, int at, float init, boolean accumulate) {
        FloatVector c0 = start(c, at, init, accumulate);
        FloatVector c1 = start(c, at + 8, init, accumulate);
        FloatVector d0 = FloatVector.zero(S);
        FloatVector d1 = FloatVector.zero(S);
        FloatVector e0 = FloatVector.zero(S);
        FloatVector e1 = FloatVector.zero(S);
        FloatVector f0 = FloatVector.zero(S);
        FloatVector f1 = FloatVector.zero(S);
        int p = p0;
        for (; p + 3 < p1; p += 4) {
            FloatVector a = FloatVector.broadcast(S, values[p]);
            int k = colIdx[p] * n + j;
            c0 = FloatVector.fromArray(S, b, k).fma(a, c0);
            c1 = FloatVector.fromArray(S, b, k + 8).fma(a, c1);
            a = FloatVector.broadcast(S, values[p + 1]);
            k = colIdx[p + 1] * n + j;
            d0 = FloatVector.fromArray(S, b, k).fma(a, d0);
            d1 = FloatVector.fromArray(S, b, k + 8).fma(a, d1);
            a = FloatVector.broadcast(S, values[p + 2]);
            k = colIdx[p + 2] * n + j;
            e0 = FloatVector.fromArray(S, b, k).fma(a, e0);
            e1 = FloatVector.fromArray(S, b, k + 8).fma(a, e1);
            a = FloatVector.broadcast(S, values[p + 3]);
            k = colIdx[p + 3] * n + j;
            f0 = FloatVector.fromArray(S, b, k).fma(a, f0);
            f1 = FloatVector.fromArray(S, b, k + 8).fma(a, f1);
        }
        for (; p < p1; p++) {
            FloatVector a = FloatVector.broadcast(S, values[p]);
            int k = colIdx[p] * n + j;
            c0 = FloatVector.fromArray(S, b, k).fma(a, c0);
            c1 = FloatVector.fromArray(S, b, k + 8).fma(a, c1);
        }
        c0.add(d0).add(e0.add(f0)).intoArray(c, at);
        c1.add(d1).add(e1.add(f1)).intoArray(c, at + 8);
    }

    private static void block8(int p0, int p1, int[] colIdx, float[] values, float[] b, int n, int j,
                               float[] c, int at, float init, boolean accumulate) {
        FloatVector c0 = start(c, at, init, accumulate);
        FloatVector d0 = FloatVector.zero(S);
        FloatVector e0 = FloatVector.zero(S);
        FloatVector f0 = FloatVector.zero(S);
        int p = p0;
        for (; p + 3 < p1; p += 4) {
            c0 = FloatVector.fromArray(S, b, colIdx[p] * n + j).fma(FloatVector.broadcast(S, values[p]), c0);
            d0 = FloatVector.fromArray(S, b, colIdx[p + 1] * n + j).fma(FloatVector.broadcast(S, values[p + 1]), d0);
            e0 = FloatVector.fromArray(S, b, colIdx[p + 2] * n + j).fma(FloatVector.broadcast(S, values[p + 2]), e0);
            f0 = FloatVector.fromArray(S, b, colIdx[p + 3] * n + j).fma(FloatVector.broadcast(S, values[p + 3]), f0);
        }
        for (; p < p1; p++) {
            c0 = FloatVector.fromArray(S, b, colIdx[p] * n + j).fma(FloatVector.broadcast(S, values[p]), c0);
        }
        c0.add(d0).add(e0.add(f0)).intoArray(c, at);
    }
}
