package dev.powerprop.engine.cpu.gemm;

import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.cpu.VectorSupport;

/**
 * Single-precision general matrix multiply, {@code C = alpha * op(A) * op(B) + beta * C}.
 *
 * <p>BLIS-style ({@link PackedGemm}): panels of A and B are packed so the transposes are absorbed
 * by the packing, and a register-tiled micro-kernel (Vector API) does the arithmetic: 4 x 16
 * ({@link Gemm4x16}) on 256-bit vectors, 6 x 32 ({@link Gemm6x32}) on 512-bit ones. With the
 * Vector API unavailable ({@link VectorSupport#ENABLED} false) the same loop nest runs a plain
 * Java kernel and no {@code jdk.incubator.vector} class is loaded.
 *
 * <p>Threads split C into rectangles (rows or columns, whichever costs less) on tile
 * boundaries; long products into a few chunks per thread, taken as threads come free. Every
 * element of C is summed in the same order whatever rectangle it falls in, so results are
 * bitwise the same for any thread count and any scheduling.
 */
public final class Gemm {
    /** Below this many multiply-adds, handing work to another thread costs more than it saves. */
    private static final long PARALLEL_MIN_MACS = 1L << 18;
    /**
     * Cost of packing one element, in micro-kernel multiply-adds. A 4x16 step does 64 MACs in
     * about 4 cycles; packing moves roughly one element a cycle, so one packed element is worth
     * about 16 MACs. Used only to choose how to split C across threads.
     */
    private static final long PACK_COST_MACS = 16;
    /** The fewest multiply-adds worth a chunk of their own (see {@link #multiply}). */
    private static final long MIN_CHUNK_MACS = 1L << 22;
    /** Most chunks of C per thread (see {@link #multiply}); {@code -Dpowerprop.gemm.chunks} sets it. */
    private static final int CHUNKS_PER_THREAD = Math.max(1, Integer.getInteger("powerprop.gemm.chunks", 4));

    private static final PackedGemm DRIVER = new PackedGemm(
            VectorSupport.ENABLED ? VectorKernel.create() : new ScalarKernel4x16());
    /** The micro-kernel's tile: rows of A and columns of B (threads split C on its edges). */
    private static final int MR = DRIVER.kernel().mr();
    private static final int NR = DRIVER.kernel().nr();

    /** The deepest a K block gets ({@link #kBlockDepth} never exceeds it). */
    public static final int MAX_K_BLOCK_DEPTH = PackedGemm.KC;

    private Gemm() {}

    /**
     * How deep the K blocks of a product of depth {@code k} are: part of what the result is,
     * not only of how fast it comes. Every element of C is summed block by block: within a
     * block, one chain of fused multiply-adds from zero in k order; the blocks then land in C
     * in order, the first as {@code alpha * block + beta * C} ({@code alpha * block} when beta
     * is 0), each later one as {@code C + alpha * block}. A backend that splits K the same way
     * (block {@code b} covers {@code [b * depth, min(k, (b + 1) * depth))}) and adds in the same
     * order gets the same bits; the OpenCL backend does.
     *
     * @throws IllegalArgumentException unless k >= 1
     */
    public static int kBlockDepth(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1 for a K block, got " + k);
        }
        return PackedGemm.kBlockDepth(k);
    }

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C}, row-major. {@code op(A)} is m x k and
     * {@code op(B)} is k x n; A is stored k x m when {@code transA}, B is stored n x k when
     * {@code transB}. {@code lda}, {@code ldb}, {@code ldc} are the row strides as stored.
     * With {@code beta == 0} C is overwritten, so NaN already in C is ignored, as BLAS does.
     * Uses {@link Parallel#threads()} threads.
     *
     * @throws IllegalArgumentException naming the argument when a size, stride or offset is wrong
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                Parallel.threads());
    }

    /** As {@link #gemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int)}, on {@code threads} threads. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc, int threads) {
        GemmArguments.check(transA, transB, m, n, k,
                a == null ? -1 : a.length, aOff, lda,
                b == null ? -1 : b.length, bOff, ldb,
                c == null ? -1 : c.length, cOff, ldc);
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0) {
            // op(A) * op(B) contributes nothing; as in BLAS, A and B are not read.
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        if (m == 1 && Gemv.serves(transB ? ldb : 1)) {
            // One row of C from a row-major B: c[j] = sum_p opA(0, p) B[p][j], lanes along j.
            Gemv.compute(n, k, alpha, a, aOff, transA ? lda : 1, b, bOff, ldb, beta, c, cOff, 1, threads,
                    PARALLEL_MIN_MACS);
            return;
        }
        if (n == 1 && Gemv.serves(transA ? 1 : lda)) {
            // One column of C from a transposed A: c[i] = sum_p A[p][i] opB(p, 0), lanes along i.
            Gemv.compute(m, k, alpha, b, bOff, transB ? 1 : ldb, a, aOff, lda, beta, c, cOff, ldc, threads,
                    PARALLEL_MIN_MACS);
            return;
        }
        if (!transA && transB && m < n) {
            // x W^T with fewer rows than columns (a layer's forward at batch < width): compute
            // C^T = W x^T into a scratch matrix, then transpose it into C. The packing that
            // transposes then copies x (m x k) instead of W (n x k), and W is read in place as
            // the rows of the product; the two m x n transposes cost far less. The products
            // and their k order are the same, so are the bits (GemmTest checks it).
            // Each part transposes its own rectangle into C as soon as it is computed.
            float[] ct = TransposeScratch.take(n * m);
            if (beta != 0) {
                transposeInto(c, cOff, ldc, m, n, ct, 0, m);
            }
            multiply(false, true, n, m, k, alpha, b, bOff, ldb, a, aOff, lda, beta, ct, 0, m, threads,
                    c, cOff, ldc);
            TransposeScratch.give(ct);
        } else {
            multiply(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, threads,
                    null, 0, 0);
        }
    }

    /** {@code dst[j][i] = src[i][j]} for an r x s block of src (row strides as stored). */
    private static void transposeInto(float[] src, int srcOff, int lds, int r, int s,
                                      float[] dst, int dstOff, int ldd) {
        for (int i0 = 0; i0 < r; i0 += 8) {
            int i1 = Math.min(r, i0 + 8);
            for (int j = 0; j < s; j++) {
                int d = dstOff + j * ldd;
                for (int i = i0; i < i1; i++) {
                    dst[d + i] = src[srcOff + i * lds + j];
                }
            }
        }
    }

    /**
     * The product on {@code threads} threads; with {@code transposed} non-null, each part then
     * copies its rectangle of C, transposed, into {@code transposed} (row stride {@code ldt}).
     */
    private static void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                 float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                 float beta, float[] c, int cOff, int ldc, int threads,
                                 float[] transposed, int tOff, int ldt) {
        int tilesM = PackedGemm.ceilDiv(m, MR);
        int tilesN = PackedGemm.ceilDiv(n, NR);
        long macs = (long) m * n * k;
        int parts = macs < PARALLEL_MIN_MACS ? 1 : threads;
        boolean splitRows = splitRows(parts, m, n, k, tilesM, tilesN);
        int tiles = splitRows ? tilesM : tilesN;
        int used = Math.min(parts, tiles);
        // More chunks than threads, taken as threads come free: on a shared machine a core that
        // runs slow for a while then computes fewer of them. Each thread packs the operand the
        // chunks share once per product (PackedGemm), so a chunk costs little more than its tiles.
        // A chunk must be long enough to pay for its own start (about 4M multiply-adds, 0.2 ms),
        // and every thread gets the same number of them, so on a quiet machine nobody waits.
        long chunksEach = Math.max(1, Math.min(CHUNKS_PER_THREAD, macs / used / MIN_CHUNK_MACS));
        int chunks = used == 1 ? 1 : (int) Math.min(tiles, chunksEach * used);
        Object product = new Object();
        Parallel.runDynamic(used, chunks, chunk -> {
            // Cut on tile boundaries so no chunk gets an extra partial tile.
            int t0 = Parallel.splitStart(tiles, chunks, chunk);
            int t1 = Parallel.splitStart(tiles, chunks, chunk + 1);
            int r0 = splitRows ? t0 * MR : 0;
            int r1 = splitRows ? Math.min(m, t1 * MR) : m;
            int c0 = splitRows ? 0 : t0 * NR;
            int c1 = splitRows ? n : Math.min(n, t1 * NR);
            DRIVER.compute(product, !splitRows, transA, transB, r0, r1, c0, c1, k, alpha, a, aOff, lda, b, bOff, ldb,
                    beta, c, cOff, ldc);
            if (transposed != null) {
                transposeInto(c, cOff + r0 * ldc + c0, ldc, r1 - r0, c1 - c0, transposed, tOff + c0 * ldt + r0, ldt);
            }
        });
    }

    /**
     * Whether splitting the rows of C over threads is cheaper than splitting its columns. Each
     * thread packs the whole of the operand it does not split (all of B for a row split), so
     * the model is: largest share of micro-kernel tiles plus the packing each thread does.
     * Skinny batches (m = 60) split columns; tall, short-K products (784 x 300 x 60) split rows.
     */
    private static boolean splitRows(int parts, int m, int n, int k, int tilesM, int tilesN) {
        long tileMacs = (long) MR * NR * k;
        long rowCost = PackedGemm.ceilDiv(tilesM, parts) * (long) tilesN * tileMacs
                + PACK_COST_MACS * ((long) k * n + (long) PackedGemm.ceilDiv(m, parts) * k);
        long columnCost = (long) tilesM * PackedGemm.ceilDiv(tilesN, parts) * tileMacs
                + PACK_COST_MACS * ((long) m * k + (long) PackedGemm.ceilDiv(n, parts) * k);
        return rowCost <= columnCost;
    }

    private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int j = row; j < row + n; j++) {
                c[j] = beta == 0 ? 0f : beta * c[j];
            }
        }
    }

    /**
     * Keeps the names of the Vector API kernels out of Gemm's own code, so they are only linked
     * when used. The widest vectors the JVM prefers decide: 512-bit FMA units do twice the work
     * of 256-bit ones per instruction (on cores that split a 512-bit FMA in two, such as Zen 4,
     * the two kernels run alike). {@code -Dpowerprop.gemm.kernel=4x16} or {@code 6x32} forces
     * one, to compare them on one machine; the bits are the same either way, since every
     * element of C is the same chain of FMAs.
     */
    private static final class VectorKernel {
        static MicroKernel create() {
            String forced = System.getProperty("powerprop.gemm.kernel");
            String name = forced != null ? forced : VectorSupport.FLOAT_LANES >= 16 ? "6x32" : "4x16";
            MicroKernel kernel = switch (name) {
                case "4x16" -> new Gemm4x16();
                case "6x32" -> new Gemm6x32();
                default -> throw new IllegalArgumentException(
                        "-Dpowerprop.gemm.kernel must be 4x16 or 6x32, got '" + forced + "'");
            };
            java.util.logging.Logger.getLogger("dev.powerprop.engine").info(
                    "GEMM micro-kernel " + name + (forced != null ? " (set by -Dpowerprop.gemm.kernel)"
                            : " (" + VectorSupport.FLOAT_LANES * 32 + "-bit vectors)"));
            return kernel;
        }
    }
}
