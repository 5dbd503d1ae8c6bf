package dev.powerprop.engine.cpu.gemm;

/**
 * The BLIS loop nest around a {@link MicroKernel}, for one rectangle of C on one thread.
 *
 * <pre>
 * for jc in steps of NC          columns of C and B
 *   for pc in steps of KC        the shared dimension: pack B[pc:pc+kc, jc:jc+nc] (stays in L3)
 *     for ic in steps of MC      rows of C and A: A[ic:ic+mc, pc:pc+kc], packed if stored k x m (L2)
 *       for jr in steps of NR    one packed B micro-panel, kc x NR              (stays in L1)
 *         for ir in steps of MR  MR rows of A, MR x kc, streamed from L2
 *           micro-kernel: C[ir:ir+MR, jr:jr+NR] += A panel * B panel
 * </pre>
 *
 * The tile, MR x NR, is the micro-kernel's ({@code 4 x 16} with 256-bit vectors, {@code 6 x 32}
 * with 512-bit ones). Packing copies B into the order the micro-kernel reads it (NR contiguous
 * values per step), so its transpose costs nothing in the inner loop, and zero-pads the edges so
 * the kernel always computes full tiles; only the valid part of an edge tile is written back.
 * The kernel reads A as MR rows of kc contiguous values: A itself when it is stored m x k, else a
 * packed copy.
 */
final class PackedGemm {
    /**
     * Most depth of a K block: a kc x 16 B micro-panel (24 KiB) stays in a 32 KiB L1d; a kc x 32
     * one (48 KiB) fills the 48 KiB L1d of Zen 5, and the MLP's blocks (at most 300 deep, 38 KiB)
     * fit. Part of the result's bits (see Gemm.kBlockDepth), so the same for every kernel. 384
     * rather than BLIS's 256 so that k = 300 is one block: every extra block re-reads C.
     */
    static final int KC = 384;
    /** Most rows of an A block: mc x kc floats (192 KiB) stay in the 512 KiB L2. */
    static final int MC = 128;
    /** Most columns of a B block: kc x nc floats (up to 4.5 MiB) stay in the shared 32 MiB L3. */
    static final int NC = 3072;

    /**
     * Most floats a thread keeps of one product's shared operand (4 MB): see {@link #compute}.
     */
    static final int MAX_SHARED_FLOATS = 1 << 20;

    /** Side of the tiles a transposed A is packed in: 16 floats, one 64-byte line. */
    private static final int TRANSPOSE_TILE = 16;

    /** Packing buffers, one set per thread, grown on demand and reused across calls. */
    private static final class Workspace {
        float[] packedA = new float[0];
        float[] packedB = new float[0];
        float[] tile = new float[0];
        /** The product whose shared operand packedA (or packedB) holds whole, or null. */
        Object sharedProduct;
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private final MicroKernel kernel;
    /** The kernel's tile, MR rows of A by NR columns of B (upper case, as BLIS names them). */
    private final int MR;
    private final int NR;

    PackedGemm(MicroKernel kernel) {
        this.kernel = kernel;
        this.MR = kernel.mr();
        this.NR = kernel.nr();
    }

    MicroKernel kernel() {
        return kernel;
    }

    /** Computes rows [m0, m1) and columns [n0, n1) of C; k must be > 0. */
    void compute(boolean transA, boolean transB, int m0, int m1, int n0, int n1, int k,
                 float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                 float beta, float[] c, int cOff, int ldc) {
        compute(null, false, transA, transB, m0, m1, n0, n1, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * As {@link #compute(boolean, boolean, int, int, int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int)},
     * for one of several chunks of {@code product} that a thread may run one after the other.
     * Chunks that split the columns of C all need the whole of A packed the same way
     * ({@code shareA}), chunks that split its rows the whole of B: the thread then keeps every
     * packed block of that operand, and packs it only in the first chunk of the product it runs
     * (when it fits in {@link #MAX_SHARED_FLOATS}). The packed values are the same either way.
     */
    void compute(Object product, boolean shareA, boolean transA, boolean transB, int m0, int m1, int n0, int n1,
                 int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                 float beta, float[] c, int cOff, int ldc) {
        Workspace ws = WORKSPACE.get();
        int kcMax = kBlockDepth(k);
        int kBlocks = ceilDiv(k, kcMax);
        int mBlocks = ceilDiv(m1 - m0, MC);
        int mcMax = roundUp(ceilDiv(m1 - m0, mBlocks), MR);
        int ncMax = Math.min(roundUp(n1 - n0, NR), NC);
        int nBlocks = ceilDiv(n1 - n0, NC);
        // With a shared operand kept, block (pc, ic) of A, or (jc, pc) of B, has its own slot.
        long sharedSize = shareA ? (long) kBlocks * mBlocks * mcMax * kcMax : (long) nBlocks * kBlocks * ncMax * kcMax;
        // An m x k A is read in place (only a few edge rows are packed): there is nothing to keep.
        boolean keep = product != null && (transA || !shareA) && sharedSize <= MAX_SHARED_FLOATS;
        boolean packed = keep && ws.sharedProduct == product; // an earlier chunk packed it all
        if (keep && !packed) {
            ws.sharedProduct = null; // until this chunk has packed every block
        }
        int aSize = keep && shareA ? (int) sharedSize : mcMax * kcMax;
        int bSize = keep && !shareA ? (int) sharedSize : ncMax * kcMax;
        float[] packedA = ws.packedA.length >= aSize ? ws.packedA : (ws.packedA = new float[aSize]);
        float[] packedB = ws.packedB.length >= bSize ? ws.packedB : (ws.packedB = new float[bSize]);
        float[] tile = ws.tile.length >= MR * NR ? ws.tile : (ws.tile = new float[MR * NR]);
        boolean packA = !(packed && shareA);
        boolean packB = !(packed && !shareA);

        for (int jc = n0, jcIndex = 0; jc < n1; jc += NC, jcIndex++) {
            int nc = Math.min(NC, n1 - jc);
            for (int pc = 0, pcIndex = 0; pc < k; pc += kcMax, pcIndex++) {
                int kc = Math.min(kcMax, k - pc);
                // Later K blocks add to what the first one wrote.
                float betaBlock = pc == 0 ? beta : 1f;
                // C = A*B and C += A*B, what training does, need no scaling: the kernel then
                // writes C itself. Other alpha and beta go through the scratch tile.
                boolean direct = alpha == 1 && (betaBlock == 0 || betaBlock == 1);
                int bBlock = keep && !shareA ? (jcIndex * kBlocks + pcIndex) * ncMax * kcMax : 0;
                if (packB) {
                    packB(transB, b, bOff, ldb, pc, kc, jc, nc, packedB, bBlock);
                }
                for (int ic = m0, icIndex = 0; ic < m1; ic += mcMax, icIndex++) {
                    int mc = Math.min(mcMax, m1 - ic);
                    int fullRows = mc - mc % MR;
                    int aBlock = keep && shareA ? (pcIndex * mBlocks + icIndex) * mcMax * kcMax : 0;
                    if (packA && transA) {
                        packA(true, a, aOff, lda, ic, mc, pc, kc, packedA, aBlock);
                    } else if (packA && fullRows < mc) {
                        packA(false, a, aOff, lda, ic + fullRows, mc - fullRows, pc, kc, packedA, aBlock);
                    }
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        int bPanel = bBlock + jr * kc;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            // Full panels of an m x k A are read in place; the rest is packed.
                            boolean inPlace = !transA && mr == MR;
                            float[] aRows = inPlace ? a : packedA;
                            int aPanel = inPlace ? aOff + (ic + ir) * lda + pc : aBlock + (transA ? ir * kc : 0);
                            int aLd = inPlace ? lda : kc;
                            int cTile = cOff + (ic + ir) * ldc + jc + jr;
                            if (direct && mr == MR && nr == NR) {
                                kernel.multiply(kc, aRows, aPanel, aLd, packedB, bPanel, c, cTile, ldc, betaBlock != 0);
                            } else {
                                kernel.multiply(kc, aRows, aPanel, aLd, packedB, bPanel, tile, 0, NR, false);
                                kernel.update(tile, mr, nr, alpha, betaBlock, c, cTile, ldc);
                            }
                        }
                    }
                }
            }
        }
        if (keep) {
            ws.sharedProduct = product;
        }
    }

    /**
     * The depth of the K blocks for a product of depth {@code k > 0}: K is cut into
     * {@code ceil(k / KC)} equal blocks (k = 784 -> 262 + 262 + 260, not 384 + 384 + 16), the
     * last one shorter by the remainder. A short last block would waste the cost of packing and
     * of loading and storing C for little arithmetic.
     */
    static int kBlockDepth(int k) {
        return ceilDiv(k, ceilDiv(k, KC));
    }

    /**
     * Packs op(A)[ic:ic+mc, pc:pc+kc] as row-major panels of MR rows (the micro-kernel's
     * {@code lda = kc}): element (r, p) of panel q goes to {@code dst[q * MR * kc + r * kc + p]};
     * rows past mc are zero. Needed when A is stored transposed (k x m), and for a last panel
     * of fewer than MR rows; full panels of an m x k A are read where they are stored, since
     * MR sequential rows are as cheap to read as a packed copy.
     */
    private void packA(boolean transA, float[] a, int aOff, int lda, int ic, int mc,
                       int pc, int kc, float[] dst, int dstOff) {
        int fullRows = 0;
        if (transA) {
            // A is stored k x m, and row i of the block goes to dst[i * kc + p] (panel i / MR,
            // row i % MR): a transpose, done in 16 x 16 tiles so that the 16 lines it reads (16
            // steps p of 16 rows) and the 16 it writes (16 rows, 16 steps) stay in L1 together.
            // Panel by panel, each line of A is read once per panel it spans; step by step over
            // the whole block, the block's rows (mc x kc floats, 100 KB at 100 x 256) leave L1.
            fullRows = mc - mc % MR;
            for (int p0 = 0; p0 < kc; p0 += TRANSPOSE_TILE) {
                int p1 = Math.min(kc, p0 + TRANSPOSE_TILE);
                for (int i0 = 0; i0 < fullRows; i0 += TRANSPOSE_TILE) {
                    int i1 = Math.min(fullRows, i0 + TRANSPOSE_TILE);
                    for (int p = p0; p < p1; p++) {
                        int src = aOff + (pc + p) * lda + ic;
                        int d = dstOff + p;
                        for (int i = i0; i < i1; i++) {
                            dst[d + i * kc] = a[src + i];
                        }
                    }
                }
            }
        }
        // What is left: an m x k A's edge panel, or a transposed A's; rows past mc are zero.
        for (int ir = fullRows; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int panel = dstOff + ir * kc;
            for (int r = 0; r < MR; r++) {
                for (int p = 0; p < kc; p++) {
                    float value = 0f;
                    if (r < mr) {
                        int row = ic + ir + r;
                        value = transA ? a[aOff + (pc + p) * lda + row] : a[aOff + row * lda + pc + p];
                    }
                    dst[panel + r * kc + p] = value;
                }
            }
        }
    }

    /**
     * Packs op(B)[pc:pc+kc, jc:jc+nc] as panels of NR columns: element (p, j) of panel q goes to
     * {@code dst[q * NR * kc + p * NR + j]}. Columns past nc are zero.
     */
    private void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc,
                       int jc, int nc, float[] dst, int dstOff) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int panel = dstOff + jr * kc;
            if (transB && nr == NR) {
                kernel.packRowsTransposed(kc, b, bOff + (jc + jr) * ldb + pc, ldb, dst, panel);
            } else if (transB) {
                // B is stored n x k: column j of op(B) is row j of storage, read sequentially.
                for (int j = 0; j < nr; j++) {
                    int src = bOff + (jc + jr + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) {
                        dst[panel + p * NR + j] = b[src + p];
                    }
                }
                for (int j = nr; j < NR; j++) {
                    for (int p = 0; p < kc; p++) {
                        dst[panel + p * NR + j] = 0f;
                    }
                }
            } else if (nr == NR) {
                // B is stored k x n: the NR values of one step p are contiguous in memory.
                kernel.packRows(kc, b, bOff + pc * ldb + jc + jr, ldb, dst, panel);
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + jr;
                    int d = panel + p * NR;
                    for (int j = 0; j < nr; j++) {
                        dst[d + j] = b[src + j];
                    }
                    for (int j = nr; j < NR; j++) {
                        dst[d + j] = 0f;
                    }
                }
            }
        }
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    static int roundUp(int x, int multiple) {
        return ceilDiv(x, multiple) * multiple;
    }
}
