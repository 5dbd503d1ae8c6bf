package dev.powerprop.engine.cpu.sparse;

import dev.powerprop.engine.cpu.Parallel;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API SpMM kernel. Only loaded when {@code VectorSupport.ENABLED}.
 *
 * <p><b>The loop.</b> For row m, a block of C[m, j:j+w] lives in vector registers while the
 * row's nonzeros go by; each nonzero a[m,k] is broadcast once and FMA'd into the w contiguous
 * floats of B[k, j:]. Blocks are counted in vectors of the JVM's preferred species (8 floats
 * with AVX2, 16 with AVX-512): 8 vectors, 4, 2 and 1, then a scalar tail. Every block keeps 8
 * independent accumulators, enough for two FMA pipes with a latency of 4; the narrow blocks get
 * them by splitting the nonzeros into 2 or 4 interleaved partial sums, added at the end. The
 * loop is bound by its loads, one vector of B per FMA: on Zen 5 about 1.9 ns per nonzero and
 * 8-vector block from L1, 3.1 ns from L2 (bench/RESULTS.md, "Sparse, round C").
 *
 * <p><b>Panels.</b> Columns are walked in panels of {@link #PANEL} floats (8 vectors) for all
 * rows of the range before the next panel, so the slice of B being read (cols x PANEL floats)
 * stays in L2 instead of all of B streaming past every row. A panel of a wider B is a strided
 * slice that maps onto part of the cache's sets, so each panel is first copied into a contiguous
 * per-thread buffer when B has more than {@link #PACK_MIN_COLS} rows and each is used by at least
 * 4 nonzeros per thread (1784-1857 against 2126-2183 us at 90% on Zen 3, "Packed B panels").
 * A 64-byte line boundary at the start of each row of the panel makes the loads about 1.6x
 * faster, and where a heap array lands can be neither known nor chosen, so {@link PanelBuffer}
 * picks the panel's start in a padded buffer by timing the kernel from each possible start.
 *
 * <p><b>K-blocking.</b> When A has a third of its entries or more (with 512-bit vectors; a
 * sixth with 256-bit ones), a packed panel is also walked in K blocks that fit L1
 * ({@link #panelKBlocked}), 1.3-1.8x faster at 50-60% on one thread. At sparser A such a
 * (row, block) pair has too few nonzeros to pay for storing and reloading its accumulators,
 * but when rows have 96 nonzeros or more on average, A is still walked in two or more longer
 * blocks, about 48 nonzeros a (row, block) pair ({@link #kBlockFor}): 4-10% faster at 80-90%
 * in three of four A/B rounds, 5-12% in a lab harness.
 *
 * <p><b>Rows in fours.</b> When every four consecutive rows of A share their columns, the mask
 * that {@code powerprop prune --block 4} makes, each vector of B is loaded once for all four
 * rows ({@link #panelInFours}), so the loop is no longer one load per FMA. At 1024 x 1024 x 256
 * on Zen 5 such a 95%-sparse A takes 121-139 us on two threads, against 225-253 us for a uniform
 * mask of the same density and 1409-1720 us for OpenBLAS's dense product (bench/RESULTS.md,
 * "Sparse, round J"). {@code -Dpowerprop.spmm.fours=false} runs the row loops instead.
 *
 * <p>Packing, K-blocking and the rows in fours change where B is read, never which multiply-adds
 * an output gets or their order: results are bitwise the same with or without them. {@code -Dpowerprop.spmm.panel},
 * {@code -Dpowerprop.spmm.pack=false}, {@code -Dpowerprop.spmm.packMinCols},
 * {@code -Dpowerprop.spmm.kBlockBytes}, {@code -Dpowerprop.spmm.wideKBlockBytes} and
 * {@code -Dpowerprop.spmm.spread=false} and {@code -Dpowerprop.spmm.fours=false} set the knobs.
 */
final class CsrSpmmVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector: 8 with 256-bit vectors, 16 with 512-bit ones. */
    private static final int L = S.length();
    /**
     * Columns per panel: a multiple of 8 vectors (64 floats on 256-bit machines, 128 on 512-bit
     * ones) so that panels are made of whole 8-vector blocks.
     */
    static final int PANEL = Integer.getInteger("powerprop.spmm.panel", 8 * L);
    static final int PACK_MIN_COLS = Integer.getInteger("powerprop.spmm.packMinCols", 512);
    static final int PACK_MAX_COLS = (1 << 20) / Math.max(PANEL, 1);
    /**
     * Row chunks per thread: enough that a thread slowed down by a neighbour on a shared core
     * costs the product about a chunk, few enough that taking one (an atomic increment) is free.
     */
    static final int CHUNKS_PER_THREAD = 4;
    static final boolean PACK = Boolean.parseBoolean(System.getProperty("powerprop.spmm.pack", "true"));
    /**
     * A whose rows come in fours sharing their columns runs {@link #panelInFours}; false: the
     * row loops, as for any A, for A/B runs ({@code -Dpowerprop.spmm.fours=false}).
     */
    static final boolean ROWS_IN_FOURS =
            Boolean.parseBoolean(System.getProperty("powerprop.spmm.fours", "true"));
    /**
     * Threads start on different panels ({@link #forEachChunk}); false: all of them walk the
     * panels in order, as before, for A/B runs.
     */
    static final boolean SPREAD =
            Boolean.parseBoolean(System.getProperty("powerprop.spmm.spread", "true"));
    /**
     * Rows of a packed panel per K block: {@code -Dpowerprop.spmm.kBlockBytes} of it (default
     * 48 KB; 0 turns all K-blocking off, the wide blocks below too), so that a block stays in L1 while a block of output rows
     * reads it: 96 rows of 512 bytes on AVX-512, 192 rows of 256 bytes on AVX2. Chosen on Zen 5
     * (48 KB L1d) over 32-64 KB blocks; not measured on other cores.
     */
    static final int K_BLOCK = Math.max(0, Integer.getInteger("powerprop.spmm.kBlockBytes", 48 * 1024))
            / (Float.BYTES * Math.max(PANEL, 1));
    /**
     * K-blocking pays when a row has at least this many nonzeros per K block on average: each
     * (row, block) pair stores and reloads its 8 accumulators, counts its slice and mispredicts
     * its loop's exit. At 96-row blocks that is a density of 1/3: measured 1.2x faster at 0.4 and
     * 1.6x at 0.5 on one thread, no faster at 0.25 (bench/RESULTS.md).
     */
    static final int K_BLOCK_MIN_NONZEROS = 32;
    /**
     * Sparser A is walked in longer K blocks: as many as give each (row, block) pair
     * {@link #WIDE_K_BLOCK_NONZEROS} nonzeros on average, and at least two. This is their largest
     * size, {@code -Dpowerprop.spmm.wideKBlockBytes} of the panel (default 256 KB, a quarter of
     * Zen 5's L2; 0 turns them off): a product whose wide block would be larger runs unblocked.
     * At 1024 x 1024, n = 256, two threads, they were 4-10% faster at 80% (256-row blocks) and
     * 90% (512 rows) in three of four A/B rounds, 10-14% slower in the fourth, noisier one; at
     * 95% a pair would get 26 nonzeros, and 512-row blocks there measured the same as none
     * (bench/RESULTS.md, round H). Why they help is not settled: the block is larger than L1,
     * blocks of 1024 output rows did no better than of 32, and huge pages changed nothing.
     */
    static final int WIDE_K_BLOCK_MAX =
            Math.max(0, Integer.getInteger("powerprop.spmm.wideKBlockBytes", 256 * 1024))
            / (Float.BYTES * Math.max(PANEL, 1));
    /** Nonzeros a (row, wide block) pair gets on average: the gains above came at about 50. */
    static final int WIDE_K_BLOCK_NONZEROS = 48;
    /**
     * Output rows that all read one K block before the next block is taken. Their C panels are
     * stored and reloaded from L2 between blocks; 16, 32, 64 and all rows measured alike.
     */
    static final int ROW_BLOCK = 32;
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;

    private CsrSpmmVector() {}

    /**
     * {@code C = A * B} (or {@code +=}, plus bias) on {@code threads} threads. The work is cut
     * into chunks of (panel, rows), which the threads take as they come free
     * ({@link #forEachChunk}): on a shared machine a core that runs slow for a while then does
     * fewer chunks instead of holding up the product. Each row's panel is always the same loop,
     * so the chunking never changes a bit. When B is packed, a thread copies a panel into its own
     * buffer at the first chunk of that panel it takes; it visits each panel once, so it packs
     * each at most once.
     */
    static void multiply(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values, float[] b, int n,
                         float[] c, float[] bias, boolean accumulate, int threads) {
        multiply(rows, cols, rowPtr, colIdx, values, b, false, n, c, bias, accumulate, threads);
    }

    /**
     * As {@link #multiply(int, int, int[], int[], float[], float[], int, float[], float[], boolean, int)},
     * with {@code transposedB}: then {@code b} is B^T, {@code n x cols} row-major (a row-major
     * batch of inputs, one sample per row). Every panel of B is then packed, and packing is where
     * the transposition happens ({@link #packTransposed}), so a layer fed a row-major batch needs
     * no separate transpose pass over its input. The products run on the same blocks in the same
     * order: the result is bitwise the same as transposing B first. Callers keep
     * {@code cols <= PACK_MAX_COLS} for a transposed B.
     */
    static void multiply(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values, float[] b,
                         boolean transposedB, int n, float[] c, float[] bias, boolean accumulate, int threads) {
        multiply(rows, cols, rowPtr, colIdx, values, b, transposedB, n, c, bias, accumulate, threads, null);
    }

    /**
     * As above, with the {@link CsrSpmm.StructureIndex} of this A when the caller keeps it (an
     * immutable matrix does): null to find what the product needs of it in the product.
     */
    static void multiply(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values, float[] b,
                         boolean transposedB, int n, float[] c, float[] bias, boolean accumulate, int threads,
                         CsrSpmm.StructureIndex index) {
        boolean fours = index != null ? index.rowsInFours()
                : ROWS_IN_FOURS && CsrSpmm.rowsInFours(rows, rowPtr, colIdx);
        multiply(rows, cols, rowPtr, colIdx, values, b, transposedB, n, c, bias, accumulate, threads,
                kBlockFor(rows, cols, rowPtr[rows]), index == null ? null : index.kBlockEnds(), fours);
    }

    /**
     * What {@link CsrSpmm#structureIndex} finds: whether A's rows come in fours that share their
     * columns, and if not, the slice ends of its K-blocked products (null when not K-blocked).
     */
    static CsrSpmm.StructureIndex structureIndex(int rows, int cols, int[] rowPtr, int[] colIdx) {
        if (ROWS_IN_FOURS && CsrSpmm.rowsInFours(rows, rowPtr, colIdx)) {
            return new CsrSpmm.StructureIndex(rows, rowPtr[rows], null, true);
        }
        return new CsrSpmm.StructureIndex(rows, rowPtr[rows], sliceEnds(rows, cols, rowPtr, colIdx), false);
    }

    /**
     * The K block of a product, in rows of B: {@link #K_BLOCK} when B is taller than a block and
     * A has enough nonzeros per (row, block) to pay for it ({@link #K_BLOCK_MIN_NONZEROS}); else
     * a wide block when the average row has enough nonzeros for two or more of them
     * ({@link #WIDE_K_BLOCK_NONZEROS}): cols split evenly into that many blocks, rounded up to
     * 16 rows, if that is at most {@link #WIDE_K_BLOCK_MAX}; else 0, no K-blocking. The choice
     * is one per matrix, from the average row: on a ragged A, short rows are blocked too.
     */
    static int kBlockFor(int rows, int cols, int nnz) {
        if (K_BLOCK == 0 || rows == 0) {
            return 0;
        }
        if ((long) nnz * K_BLOCK >= (long) K_BLOCK_MIN_NONZEROS * rows * cols) {
            return cols > K_BLOCK ? K_BLOCK : 0;
        }
        long blocks = (long) nnz / ((long) rows * WIDE_K_BLOCK_NONZEROS);
        if (blocks < 2) {
            return 0;
        }
        // Two blocks need 96 nonzeros a row on average, and a row holds at most cols, so cols >= 96
        // and half of cols rounded up to 16 is under cols: there are always two blocks or more.
        long wide = ((cols + blocks - 1) / blocks + 15) / 16 * 16;
        return wide <= WIDE_K_BLOCK_MAX ? (int) wide : 0;
    }

    /**
     * As above, with the K block of packed panels chosen by the caller: {@code kBlock} rows of the
     * panel (full panels only), 0 for none. Tests compare the two loop orders with it.
     */
    static void multiplyWithKBlock(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values, float[] b,
                                   boolean transposedB, int n, float[] c, float[] bias, boolean accumulate,
                                   int threads, int kBlock) {
        multiply(rows, cols, rowPtr, colIdx, values, b, transposedB, n, c, bias, accumulate, threads, kBlock, null,
                false);
    }

    /**
     * The product. {@code fours}: A's rows come in fours that share their columns
     * ({@link CsrSpmm#rowsInFours}), and run {@link #panelInFours} instead of the row loops; the row
     * chunks then start on a multiple of 4.
     */
    private static void multiply(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values, float[] b,
                                 boolean transposedB, int n, float[] c, float[] bias, boolean accumulate,
                                 int threads, int kBlock, int[] knownSliceEnds, boolean fours) {
        Plan plan = plan(cols, rowPtr[rows], n, transposedB, threads, kBlock);
        int vectorEnd = plan.vectorEnd();
        boolean pack = plan.pack();
        boolean blocked = plan.kBlock() > 0 && !fours;
        int rowChunks = Math.min(rows, threads == 1 ? 1 : CHUNKS_PER_THREAD * threads);
        int[] bounds = RowPartition.split(rowPtr, rows, rowChunks, 1);
        if (fours) {
            for (int q = 1; q < rowChunks; q++) {
                bounds[q] -= bounds[q] % 4; // still non-decreasing; a chunk may be empty
            }
        }
        int[] sliceEnds = !blocked ? null : knownSliceEnds != null ? knownSliceEnds
                : sliceEnds(rows, cols, rowPtr, colIdx, kBlock, rowChunks, bounds, threads);
        int panels = (vectorEnd + PANEL - 1) / PANEL;
        Object product = new Object(); // tells a thread's buffer which product its panel belongs to
        forEachChunk(threads, panels, rowChunks, (panelIndex, rowChunk) -> {
            int j0 = panelIndex * PANEL;
            int j1 = Math.min(vectorEnd, j0 + PANEL);
            int r0 = bounds[rowChunk];
            int r1 = bounds[rowChunk + 1];
            if (pack) {
                PanelBuffer buffer = PanelBuffer.take(cols * Math.min(PANEL, vectorEnd));
                buffer.holdPanel(product, b, transposedB, n, cols, j0, j1);
                int w = j1 - j0;
                int vw = w - w % L;
                if (fours) {
                    panelInFours(r0, r1, rowPtr, colIdx, values, buffer.data, w, buffer.start, c, n, j0, j0 + vw, bias,
                            accumulate);
                } else if (blocked && w % (8 * L) == 0) { // whole vectors: no scalar tail below
                    panelKBlocked(r0, r1, rowPtr, colIdx, values, sliceEnds, buffer.data, w, buffer.start, c, n,
                            j0, bias, accumulate, cols, kBlock);
                } else {
                    panel(r0, r1, rowPtr, colIdx, values, buffer.data, w, buffer.start, c, n, j0, j0 + vw, bias,
                            accumulate);
                }
                if (vw < w) {
                    CsrSpmmScalar.rows(r0, r1, rowPtr, colIdx, values, buffer.data, buffer.start + vw, w, c, n, bias,
                            accumulate, j0 + vw, j1);
                }
            } else if (fours) {
                panelInFours(r0, r1, rowPtr, colIdx, values, b, n, j0, c, n, j0, j1, bias, accumulate);
            } else {
                panel(r0, r1, rowPtr, colIdx, values, b, n, j0, c, n, j0, j1, bias, accumulate);
            }
        });
        if (vectorEnd < n) {
            Parallel.runDynamic(threads, rowChunks, q -> CsrSpmmScalar.rows(bounds[q], bounds[q + 1], rowPtr, colIdx,
                    values, b, n, c, bias, accumulate, vectorEnd, n));
        }
    }

    /**
     * How a product reads B: the columns its panels cover ({@code vectorEnd}; a scalar loop does
     * the rest), whether each panel is first packed into a contiguous buffer, and the K block its
     * packed panels are walked in (0: none).
     */
    record Plan(int vectorEnd, boolean pack, int kBlock) {}

    /**
     * The plan of a product of an A with {@code nnz} nonzeros and {@code cols} columns by a B
     * with n columns (given as B^T when {@code transposedB}), K block {@code kBlock} if packed.
     */
    static Plan plan(int cols, int nnz, int n, boolean transposedB, int threads, int kBlock) {
        // A transposed B is packed panel by panel, and each panel's last columns (n % L of them
        // in the last one) are read from the packed copy too, so its panels cover all of n.
        int vectorEnd = transposedB ? n : n - n % L;
        // Pack when B's rows are wider than a panel (else the panel is B itself, contiguous), B is
        // tall enough for its strided panel to overflow L2, each row of B is reused enough to pay
        // for copying it, and the per-thread buffer stays bounded (at most 4 MB). The reuse asked
        // for, 4 nonzeros per row of B per thread, dates from when every thread packed every
        // panel; now each panel is packed by about one thread when there are at least as many
        // panels as threads ({@link #forEachChunk}), and the bound has not been measured again.
        // Callers pass valid CSR (columns in [0, cols)): the buffer may be longer than cols x PANEL.
        boolean pack = transposedB || PACK && vectorEnd > PANEL && cols > PACK_MIN_COLS && cols <= PACK_MAX_COLS
                && nnz >= 4L * cols * threads;
        return new Plan(vectorEnd, pack, pack ? kBlock : 0);
    }

    /** One chunk of a product: a panel of columns and a range of rows. */
    interface Chunk {
        void run(int panel, int rowChunk);
    }

    /**
     * Runs every (panel, row chunk) pair once on up to {@code threads} threads. Part t of the
     * product's parts starts on panel {@link #firstPanel} and takes its row chunks one by one
     * from a counter the panel keeps; when none is left it moves on to the next panel, round to
     * the first. So each panel is packed by about one thread rather than by all of them, and a
     * thread slowed by its neighbour still leaves its unstarted chunks to the others. Within a
     * panel the chunks are taken in a rotated order ({@link #rowChunkAt}): threads on
     * neighbouring panels then write rows of C far apart, so the cache line of C that straddles
     * two panels does not bounce between cores. Which thread runs a chunk never changes what it
     * computes. With {@link #SPREAD} off, every thread walks the panels in order from the first.
     */
    static void forEachChunk(int threads, int panels, int rowChunks, Chunk body) {
        forEachChunk(threads, panels, rowChunks, SPREAD, body);
    }

    /** As above, spread or not (tests run both). */
    static void forEachChunk(int threads, int panels, int rowChunks, boolean spread, Chunk body) {
        CsrArguments.checkThreads(threads);
        if (!spread) {
            Parallel.runDynamic(threads, panels * rowChunks, chunk -> body.run(chunk / rowChunks, chunk % rowChunks));
            return;
        }
        int parts = Math.min(threads, panels * rowChunks);
        if (parts <= 1) {
            for (int panel = 0; panel < panels; panel++) {
                for (int q = 0; q < rowChunks; q++) {
                    body.run(panel, q);
                }
            }
            return;
        }
        AtomicIntegerArray taken = new AtomicIntegerArray(panels);
        Parallel.run(parts, part -> {
            int first = firstPanel(part, parts, panels);
            for (int i = 0; i < panels; i++) {
                int panel = (first + i) % panels;
                for (int q = taken.getAndIncrement(panel); q < rowChunks; q = taken.getAndIncrement(panel)) {
                    body.run(panel, rowChunkAt(panel, panels, rowChunks, q));
                }
            }
        });
    }

    /** The panel part {@code part} of {@code parts} starts on: the parts spread evenly over the panels. */
    static int firstPanel(int part, int parts, int panels) {
        return (int) ((long) part * panels / parts);
    }

    /** The row chunk a panel's q-th taking gets: q rotated by {@code panel * rowChunks / panels}. */
    static int rowChunkAt(int panel, int panels, int rowChunks, int q) {
        return (int) ((q + (long) panel * rowChunks / panels) % rowChunks);
    }

    /**
     * Columns {@code [j0, j1)} of C (j1 - j0 a multiple of the vector length) for rows {@code [r0, r1)}, reading
     * B[k, j] at {@code bp[k * ld + off + (j - j0)]}: B itself, or a packed panel of it.
     */
    private static void panel(int r0, int r1, int[] rowPtr, int[] colIdx, float[] values, float[] bp, int ld,
                              int off, float[] c, int n, int j0, int j1, float[] bias, boolean accumulate) {
        for (int r = r0; r < r1; r++) {
            int p0 = rowPtr[r];
            int p1 = rowPtr[r + 1];
            float init = bias == null ? 0f : bias[r];
            int cRow = r * n;
            int j = j0;
            int o = off;
            for (; j + 8 * L <= j1; j += 8 * L, o += 8 * L) {
                block8v(p0, p1, colIdx, values, bp, ld, o, c, cRow + j, init, accumulate);
            }
            if (j + 4 * L <= j1) {
                block4v(p0, p1, colIdx, values, bp, ld, o, c, cRow + j, init, accumulate);
                j += 4 * L;
                o += 4 * L;
            }
            if (j + 2 * L <= j1) {
                block2v(p0, p1, colIdx, values, bp, ld, o, c, cRow + j, init, accumulate);
                j += 2 * L;
                o += 2 * L;
            }
            if (j + L <= j1) {
                block1v(p0, p1, colIdx, values, bp, ld, o, c, cRow + j, init, accumulate);
            }
        }
    }

    /**
     * {@link #panel} for rows {@code [r0, r1)} of an A whose rows come in fours sharing their
     * columns ({@link CsrSpmm#rowsInFours}), r0 a multiple of 4: each 8-vector block of a group's four
     * rows is two {@link #fourRows4v} calls, which load each vector of B once for four rows. The
     * narrower blocks of the panel's last columns, and the last rows % 4 rows, run
     * {@link #panel}. Every output gets the same multiply-adds in the same order as in
     * {@link #block8v}, so the result is bitwise that of the row loops.
     */
    private static void panelInFours(int r0, int r1, int[] rowPtr, int[] colIdx, float[] values, float[] bp, int ld,
                                     int off, float[] c, int n, int j0, int j1, float[] bias, boolean accumulate) {
        int groupsEnd = r0 + (r1 - r0) / 4 * 4;
        for (int r = r0; r < groupsEnd; r += 4) {
            int j = j0;
            int o = off;
            for (; j + 8 * L <= j1; j += 8 * L, o += 8 * L) {
                fourRows4v(r, rowPtr, colIdx, values, bp, ld, o, c, r * n + j, n, bias, accumulate);
                fourRows4v(r, rowPtr, colIdx, values, bp, ld, o + 4 * L, c, r * n + j + 4 * L, n, bias, accumulate);
            }
            if (j < j1) {
                panel(r, r + 4, rowPtr, colIdx, values, bp, ld, o, c, n, j, j1, bias, accumulate);
            }
        }
        if (groupsEnd < r1) {
            panel(groupsEnd, r1, rowPtr, colIdx, values, bp, ld, off, c, n, j0, j1, bias, accumulate);
        }
    }

    /**
     * Rows r to r + 3 (which share their columns), 4 vectors of C each from {@code at}: 16
     * accumulators, {@code s<row><vector>}. Per shared column, 4 vectors of B are loaded once and
     * each feeds 4 FMAs, one per row; the row loop ({@link #block8v}) loads a vector per FMA. A
     * 4 x 4 block keeps 16 of the 32 vector registers for sums, 4 for B and 1 for the broadcast
     * value. Written out lane by lane, as {@link #block8v} is, so that each sum is a register.
     */
    private static void fourRows4v(int r, int[] rowPtr, int[] colIdx, float[] values, float[] b, int ld, int o,
                                   float[] c, int at, int n, float[] bias, boolean accumulate) {
        // Where each of the four rows' values start; their columns are row r's.
        int p0 = rowPtr[r];
        int p1 = rowPtr[r + 1];
        int p2 = rowPtr[r + 2];
        int p3 = rowPtr[r + 3];
        float init0 = bias == null ? 0f : bias[r];
        float init1 = bias == null ? 0f : bias[r + 1];
        float init2 = bias == null ? 0f : bias[r + 2];
        float init3 = bias == null ? 0f : bias[r + 3];
        FloatVector s00 = start(c, at, init0, accumulate);
        FloatVector s01 = start(c, at + L, init0, accumulate);
        FloatVector s02 = start(c, at + 2 * L, init0, accumulate);
        FloatVector s03 = start(c, at + 3 * L, init0, accumulate);
        FloatVector s10 = start(c, at + n, init1, accumulate);
        FloatVector s11 = start(c, at + n + L, init1, accumulate);
        FloatVector s12 = start(c, at + n + 2 * L, init1, accumulate);
        FloatVector s13 = start(c, at + n + 3 * L, init1, accumulate);
        FloatVector s20 = start(c, at + 2 * n, init2, accumulate);
        FloatVector s21 = start(c, at + 2 * n + L, init2, accumulate);
        FloatVector s22 = start(c, at + 2 * n + 2 * L, init2, accumulate);
        FloatVector s23 = start(c, at + 2 * n + 3 * L, init2, accumulate);
        FloatVector s30 = start(c, at + 3 * n, init3, accumulate);
        FloatVector s31 = start(c, at + 3 * n + L, init3, accumulate);
        FloatVector s32 = start(c, at + 3 * n + 2 * L, init3, accumulate);
        FloatVector s33 = start(c, at + 3 * n + 3 * L, init3, accumulate);
        for (int t = 0; t < p1 - p0; t++) { // the t-th shared column
            int k = colIdx[p0 + t] * ld + o;
            FloatVector x0 = FloatVector.fromArray(S, b, k);
            FloatVector x1 = FloatVector.fromArray(S, b, k + L);
            FloatVector x2 = FloatVector.fromArray(S, b, k + 2 * L);
            FloatVector x3 = FloatVector.fromArray(S, b, k + 3 * L);
            FloatVector v = FloatVector.broadcast(S, values[p0 + t]);
            s00 = x0.fma(v, s00);
            s01 = x1.fma(v, s01);
            s02 = x2.fma(v, s02);
            s03 = x3.fma(v, s03);
            v = FloatVector.broadcast(S, values[p1 + t]);
            s10 = x0.fma(v, s10);
            s11 = x1.fma(v, s11);
            s12 = x2.fma(v, s12);
            s13 = x3.fma(v, s13);
            v = FloatVector.broadcast(S, values[p2 + t]);
            s20 = x0.fma(v, s20);
            s21 = x1.fma(v, s21);
            s22 = x2.fma(v, s22);
            s23 = x3.fma(v, s23);
            v = FloatVector.broadcast(S, values[p3 + t]);
            s30 = x0.fma(v, s30);
            s31 = x1.fma(v, s31);
            s32 = x2.fma(v, s32);
            s33 = x3.fma(v, s33);
        }
        s00.intoArray(c, at);
        s01.intoArray(c, at + L);
        s02.intoArray(c, at + 2 * L);
        s03.intoArray(c, at + 3 * L);
        s10.intoArray(c, at + n);
        s11.intoArray(c, at + n + L);
        s12.intoArray(c, at + n + 2 * L);
        s13.intoArray(c, at + n + 3 * L);
        s20.intoArray(c, at + 2 * n);
        s21.intoArray(c, at + 2 * n + L);
        s22.intoArray(c, at + 2 * n + 2 * L);
        s23.intoArray(c, at + 2 * n + 3 * L);
        s30.intoArray(c, at + 3 * n);
        s31.intoArray(c, at + 3 * n + L);
        s32.intoArray(c, at + 3 * n + 2 * L);
        s33.intoArray(c, at + 3 * n + 3 * L);
    }

    /**
     * {@link #panel} on a packed panel of width {@code w} (a multiple of 8 vectors), K-blocked for
     * L1: for each block of {@link #ROW_BLOCK} rows, the panel's rows {@code [k0, k0 + kBlock)}
     * are read by all of the block's rows before the next K block, so they come from L1 instead
     * of L2. A (row, K block) pair runs the same 8-vector loop on its slice of the row's nonzeros
     * ({@link #sliceEnds}), starting from the C it stored the block before. The slices are
     * consecutive and cover each row's nonzeros in order, so every output element sees the same
     * multiply-adds in the same order as in {@link #panel}: the result is bitwise the same.
     */
    private static void panelKBlocked(int r0, int r1, int[] rowPtr, int[] colIdx, float[] values, int[] sliceEnds,
                                      float[] bp, int w, int off, float[] c, int n, int j0, float[] bias,
                                      boolean accumulate, int cols, int kBlock) {
        int kBlocks = (cols + kBlock - 1) / kBlock;
        for (int rb = r0; rb < r1; rb += ROW_BLOCK) {
            int re = Math.min(r1, rb + ROW_BLOCK);
            for (int block = 0; block < kBlocks; block++) {
                for (int r = rb; r < re; r++) {
                    int p = block == 0 ? rowPtr[r] : sliceEnds[r * (kBlocks - 1) + block - 1];
                    int q = block == kBlocks - 1 ? rowPtr[r + 1] : sliceEnds[r * (kBlocks - 1) + block];
                    if (block == 0) {
                        float init = bias == null ? 0f : bias[r];
                        for (int o = 0; o < w; o += 8 * L) {
                            block8v(p, q, colIdx, values, bp, w, off + o, c, r * n + j0 + o, init, accumulate);
                        }
                    } else if (q > p) {
                        // Resume from C as stored: adding -0 leaves every float as it is, -0 included.
                        for (int o = 0; o < w; o += 8 * L) {
                            block8v(p, q, colIdx, values, bp, w, off + o, c, r * n + j0 + o, -0f, true);
                        }
                    }
                }
            }
        }
    }

    /**
     * The slice ends a K-blocked product of this A uses ({@link #sliceEnds(int, int, int[], int[], int, int,
     * int[], int)} with the default block), or null when its products are not K-blocked.
     */
    static int[] sliceEnds(int rows, int cols, int[] rowPtr, int[] colIdx) {
        int kBlock = kBlockFor(rows, cols, rowPtr[rows]);
        return kBlock == 0 ? null
                : sliceEnds(rows, cols, rowPtr, colIdx, kBlock, 1, new int[] {0, rows}, 1);
    }

    /**
     * Where each row's nonzeros cross into the next K block: {@code ends[r * (kBlocks - 1) + i]}
     * is the end of row r's slice in K block i, for all but the last block (whose slice ends
     * at the row's end). Found once per product, for all panels, on the product's threads,
     * unless the caller keeps them: they take 160-180 us at 1024 x 1024 and 60% (one or two
     * threads), 6-10% of the product.
     * Each slice starts where the one before ended, so the slices cover the row in order
     * whatever its columns are; with increasing columns, each is exactly the block's nonzeros.
     */
    private static int[] sliceEnds(int rows, int cols, int[] rowPtr, int[] colIdx, int kBlock, int rowChunks,
                                   int[] bounds, int threads) {
        int kBlocks = (cols + kBlock - 1) / kBlock;
        int[] ends = new int[rows * (kBlocks - 1)];
        Parallel.runDynamic(threads, rowChunks, q -> {
            for (int r = bounds[q]; r < bounds[q + 1]; r++) {
                int p = rowPtr[r];
                for (int block = 0; block < kBlocks - 1; block++) {
                    p = blockEnd(colIdx, p, rowPtr[r + 1], (block + 1) * kBlock, kBlock);
                    ends[r * (kBlocks - 1) + block] = p;
                }
            }
        });
        return ends;
    }

    /**
     * The end of the nonzeros in {@code [p, pEnd)} whose column is below {@code k1}, given that
     * all of them are at least {@code k1 - kBlock} and increase: they are a prefix of at most
     * kBlock entries, so counting those below k1 among the first kBlock finds it, without the
     * mispredicted exit of a scan that stops at the first column past k1.
     */
    private static int blockEnd(int[] colIdx, int p, int pEnd, int k1, int kBlock) {
        int limit = Math.min(pEnd, p + kBlock);
        int q = p;
        int t = p;
        for (; t + IS.length() <= limit; t += IS.length()) {
            q += IntVector.fromArray(IS, colIdx, t).compare(VectorOperators.LT, k1).trueCount();
        }
        if (t < limit) {
            VectorMask<Integer> live = IS.indexInRange(t, limit);
            q += IntVector.fromArray(IS, colIdx, t, live).compare(VectorOperators.LT, k1, live).trueCount();
        }
        return q;
    }

    /**
     * {@code buf[start + k * w + t] = bt[(j0 + t) * cols + k]} for t in [0, w), k in [0, cols): w rows of
     * B^T become a w-wide panel of B. Eight rows of B^T are read side by side, so each write
     * fills 8 consecutive floats of one row of the panel (32 bytes of one cache line).
     */
    static void packTransposed(float[] bt, int cols, int j0, int w, float[] buf, int start) {
        int t = 0;
        for (; t + 8 <= w; t += 8) {
            int s0 = (j0 + t) * cols;
            int s1 = s0 + cols;
            int s2 = s1 + cols;
            int s3 = s2 + cols;
            int s4 = s3 + cols;
            int s5 = s4 + cols;
            int s6 = s5 + cols;
            int s7 = s6 + cols;
            for (int k = 0, o = start + t; k < cols; k++, o += w) {
                buf[o] = bt[s0 + k];
                buf[o + 1] = bt[s1 + k];
                buf[o + 2] = bt[s2 + k];
                buf[o + 3] = bt[s3 + k];
                buf[o + 4] = bt[s4 + k];
                buf[o + 5] = bt[s5 + k];
                buf[o + 6] = bt[s6 + k];
                buf[o + 7] = bt[s7 + k];
            }
        }
        for (; t < w; t++) {
            int s = (j0 + t) * cols;
            for (int k = 0, o = start + t; k < cols; k++, o += w) {
                buf[o] = bt[s + k];
            }
        }
    }

    /**
     * The per-thread buffer of the packed panels, and where in it the panel starts (for both
     * products, B row-major or transposed). Where a heap array lands in memory can be neither
     * known nor chosen, and it decides the speed: a 256-byte panel row that starts off a 64-byte boundary takes 5 cache lines
     * instead of 4 (Zen 3), one off a 16-byte boundary splits a quarter of its 128-bit loads over
     * two lines (Zen 1). Measured in bench/RESULTS.md: 1.4 against 1.8 ms on Zen 3, 5.8 against
     * 7.7 ns per nonzero and panel on Zen 1, decided anew by every JVM and by every GC that moves
     * the array. So the buffer has 16 floats of slack, and the start is chosen the way FFTW chooses
     * a plan, by measuring: the packed kernel is timed from each of the 8 possible starts (heap
     * arrays sit on 8-byte boundaries) over a thousand nonzeros, a fraction of a millisecond, and
     * the fastest is kept; first once the kernel is compiled, then again every
     * {@link #CALLS_BETWEEN_CHOICES} products, after which a GC may have moved the buffer. The
     * start changes where B is read, never what is summed: results are bitwise the same from any
     * start.
     */
    static final class PanelBuffer {
        private static final ThreadLocal<PanelBuffer> OF_THREAD = new ThreadLocal<>();
        /** Packed products run on a buffer before its start is first chosen: by then the kernel is compiled. */
        static final int CALLS_BEFORE_CHOOSING = 16;
        /** Products between two choices: the probe then costs about 1% of them. */
        static final int CALLS_BETWEEN_CHOICES = 64;
        private static final int PROBE_ROWS = 16;
        private static final int PROBE_NONZEROS_PER_ROW = 64;
        private static final int PROBE_TRIALS = 3;

        final float[] data;
        int start;
        /** How many times the start has been chosen (tests read it). */
        int choices;
        private int calls;
        /** The product and first column of the panel the buffer holds (null: none). */
        private Object heldProduct;
        private int heldColumn;

        private PanelBuffer(int size) {
            data = new float[size + 16];
        }

        /** This thread's buffer, grown (and its start chosen again) when {@code size} floats do not fit. */
        static PanelBuffer take(int size) {
            PanelBuffer buffer = OF_THREAD.get();
            if (buffer == null || buffer.data.length < size + 16) {
                buffer = new PanelBuffer(size);
                OF_THREAD.set(buffer);
            }
            return buffer;
        }

        /**
         * Makes the buffer hold columns {@code [j0, j1)} of {@code product}'s B (given as B^T when
         * {@code transposedB}), packed from {@code start}:
         * {@code data[start + k * (j1 - j0) + t] = B[k, j0 + t]}. Copies only when
         * it holds another panel; a new product is also when a choice of start may fall due.
         */
        void holdPanel(Object product, float[] b, boolean transposedB, int n, int cols, int j0, int j1) {
            if (product == heldProduct && j0 == heldColumn) {
                return;
            }
            if (product != heldProduct) {
                chooseStartWhenDue(cols);
                heldProduct = product;
            }
            heldColumn = j0;
            int w = j1 - j0;
            if (transposedB) {
                packTransposed(b, cols, j0, w, data, start);
                return;
            }
            for (int k = 0, from = j0, to = start; k < cols; k++, from += n, to += w) {
                for (int t = 0; t < w; t += L) {
                    FloatVector.fromArray(S, b, from + t).intoArray(data, to + t);
                }
            }
        }

        /** Times the 8 starts for a panel of cols rows when a choice is due (see the class comment). */
        void chooseStartWhenDue(int cols) {
            // The probe reads 8 vectors from rows PANEL apart, from up to 14 floats in: only the
            // rows that lie wholly in the buffer (a panel narrower than PANEL fills fewer).
            int rowsInBuffer = Math.min(cols, (data.length - 14 - 8 * L) / PANEL + 1);
            if (++calls % CALLS_BETWEEN_CHOICES != CALLS_BEFORE_CHOOSING || data.length < 14 + 8 * L) {
                return;
            }
            // A fixed spread of rows of the panel, as a product's nonzeros would read them.
            int nonzeros = PROBE_ROWS * PROBE_NONZEROS_PER_ROW;
            int[] column = new int[nonzeros];
            for (int p = 0, x = 1; p < nonzeros; p++) {
                x = x * 1103515245 + 12345;
                column[p] = (x >>> 1) % rowsInBuffer;
            }
            float[] zeros = new float[nonzeros];
            float[] out = new float[8 * L];
            long[] fastest = new long[8];
            Arrays.fill(fastest, Long.MAX_VALUE);
            for (int trial = 0; trial < PROBE_TRIALS; trial++) {
                for (int candidate = 0; candidate < 8; candidate++) {
                    long t0 = System.nanoTime();
                    for (int r = 0; r < PROBE_ROWS; r++) {
                        block8v(r * PROBE_NONZEROS_PER_ROW, (r + 1) * PROBE_NONZEROS_PER_ROW, column, zeros, data,
                                PANEL, 2 * candidate, out, 0, 0f, false);
                    }
                    fastest[candidate] = Math.min(fastest[candidate], System.nanoTime() - t0);
                }
            }
            int best = 0;
            for (int candidate = 1; candidate < 8; candidate++) {
                if (fastest[candidate] < fastest[best]) {
                    best = candidate;
                }
            }
            start = 2 * best;
            choices++;
        }
    }

    private static FloatVector start(float[] c, int at, float init, boolean accumulate) {
        FloatVector v = FloatVector.broadcast(S, init);
        return accumulate ? FloatVector.fromArray(S, c, at).add(v) : v;
    }

    private static void block8v(int p0, int p1, int[] colIdx, float[] values, float[] b, int n, int j,
                                float[] c, int at, float init, boolean accumulate) {
        FloatVector c0 = start(c, at, init, accumulate);
        FloatVector c1 = start(c, at + L, init, accumulate);
        FloatVector c2 = start(c, at + 2 * L, init, accumulate);
        FloatVector c3 = start(c, at + 3 * L, init, accumulate);
        FloatVector c4 = start(c, at + 4 * L, init, accumulate);
        FloatVector c5 = start(c, at + 5 * L, init, accumulate);
        FloatVector c6 = start(c, at + 6 * L, init, accumulate);
        FloatVector c7 = start(c, at + 7 * L, init, accumulate);
        for (int p = p0; p < p1; p++) {
            FloatVector a = FloatVector.broadcast(S, values[p]);
            int k = colIdx[p] * n + j;
            c0 = FloatVector.fromArray(S, b, k).fma(a, c0);
            c1 = FloatVector.fromArray(S, b, k + L).fma(a, c1);
            c2 = FloatVector.fromArray(S, b, k + 2 * L).fma(a, c2);
            c3 = FloatVector.fromArray(S, b, k + 3 * L).fma(a, c3);
            c4 = FloatVector.fromArray(S, b, k + 4 * L).fma(a, c4);
            c5 = FloatVector.fromArray(S, b, k + 5 * L).fma(a, c5);
            c6 = FloatVector.fromArray(S, b, k + 6 * L).fma(a, c6);
            c7 = FloatVector.fromArray(S, b, k + 7 * L).fma(a, c7);
        }
        c0.intoArray(c, at);
        c1.intoArray(c, at + L);
        c2.intoArray(c, at + 2 * L);
        c3.intoArray(c, at + 3 * L);
        c4.intoArray(c, at + 4 * L);
        c5.intoArray(c, at + 5 * L);
        c6.intoArray(c, at + 6 * L);
        c7.intoArray(c, at + 7 * L);
    }

    private static void block4v(int p0, int p1, int[] colIdx, float[] values, float[] b, int n, int j,
                                float[] c, int at, float init, boolean accumulate) {
        FloatVector c0 = start(c, at, init, accumulate);
        FloatVector c1 = start(c, at + L, init, accumulate);
        FloatVector c2 = start(c, at + 2 * L, init, accumulate);
        FloatVector c3 = start(c, at + 3 * L, init, accumulate);
        FloatVector d0 = FloatVector.zero(S);
        FloatVector d1 = FloatVector.zero(S);
        FloatVector d2 = FloatVector.zero(S);
        FloatVector d3 = FloatVector.zero(S);
        int p = p0;
        for (; p + 1 < p1; p += 2) {
            FloatVector a = FloatVector.broadcast(S, values[p]);
            int k = colIdx[p] * n + j;
            c0 = FloatVector.fromArray(S, b, k).fma(a, c0);
            c1 = FloatVector.fromArray(S, b, k + L).fma(a, c1);
            c2 = FloatVector.fromArray(S, b, k + 2 * L).fma(a, c2);
            c3 = FloatVector.fromArray(S, b, k + 3 * L).fma(a, c3);
            FloatVector e = FloatVector.broadcast(S, values[p + 1]);
            int q = colIdx[p + 1] * n + j;
            d0 = FloatVector.fromArray(S, b, q).fma(e, d0);
            d1 = FloatVector.fromArray(S, b, q + L).fma(e, d1);
            d2 = FloatVector.fromArray(S, b, q + 2 * L).fma(e, d2);
            d3 = FloatVector.fromArray(S, b, q + 3 * L).fma(e, d3);
        }
        if (p < p1) {
            FloatVector a = FloatVector.broadcast(S, values[p]);
            int k = colIdx[p] * n + j;
            c0 = FloatVector.fromArray(S, b, k).fma(a, c0);
            c1 = FloatVector.fromArray(S, b, k + L).fma(a, c1);
            c2 = FloatVector.fromArray(S, b, k + 2 * L).fma(a, c2);
            c3 = FloatVector.fromArray(S, b, k + 3 * L).fma(a, c3);
        }
        c0.add(d0).intoArray(c, at);
        c1.add(d1).intoArray(c, at + L);
        c2.add(d2).intoArray(c, at + 2 * L);
        c3.add(d3).intoArray(c, at + 3 * L);
    }

    private static void block2v(int p0, int p1, int[] colIdx, float[] values, float[] b, int n, int j,
                                float[] c, int at, float init, boolean accumulate) {
        FloatVector c0 = start(c, at, init, accumulate);
        FloatVector c1 = start(c, at + L, init, accumulate);
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
            c1 = FloatVector.fromArray(S, b, k + L).fma(a, c1);
            a = FloatVector.broadcast(S, values[p + 1]);
            k = colIdx[p + 1] * n + j;
            d0 = FloatVector.fromArray(S, b, k).fma(a, d0);
            d1 = FloatVector.fromArray(S, b, k + L).fma(a, d1);
            a = FloatVector.broadcast(S, values[p + 2]);
            k = colIdx[p + 2] * n + j;
            e0 = FloatVector.fromArray(S, b, k).fma(a, e0);
            e1 = FloatVector.fromArray(S, b, k + L).fma(a, e1);
            a = FloatVector.broadcast(S, values[p + 3]);
            k = colIdx[p + 3] * n + j;
            f0 = FloatVector.fromArray(S, b, k).fma(a, f0);
            f1 = FloatVector.fromArray(S, b, k + L).fma(a, f1);
        }
        for (; p < p1; p++) {
            FloatVector a = FloatVector.broadcast(S, values[p]);
            int k = colIdx[p] * n + j;
            c0 = FloatVector.fromArray(S, b, k).fma(a, c0);
            c1 = FloatVector.fromArray(S, b, k + L).fma(a, c1);
        }
        c0.add(d0).add(e0.add(f0)).intoArray(c, at);
        c1.add(d1).add(e1.add(f1)).intoArray(c, at + L);
    }

    private static void block1v(int p0, int p1, int[] colIdx, float[] values, float[] b, int n, int j,
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
