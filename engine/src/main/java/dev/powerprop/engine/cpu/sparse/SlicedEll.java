package dev.powerprop.engine.cpu.sparse;

import java.util.Arrays;

/**
 * A CSR matrix laid out for the sliced SpMV kernel ({@link CsrSpmvSliced}): sliced ELLPACK
 * (SELL, Kreutzer et al. 2014) cut into column blocks small enough that x's entries for a block
 * sit in four vector registers.
 *
 * <p>Why: a CSR SpMV does three loads per nonzero (its column, its value, x at the column) and is
 * bound by them, 1.1-1.3 cycles a nonzero on Zen 5; a 512-bit gather is no faster there. Here 32
 * rows (a <em>slice</em>) run side by side in the lanes of two 16-float vectors, and x is read
 * from registers: for each block of {@value #BLOCK_COLUMNS} columns the kernel loads x's entries
 * once into four vectors (64 slots, the last one 0) and every <em>step</em> picks each lane's
 * entry with two two-register permutes ({@code vpermi2d}) and a blend per vector. A step is two
 * value loads, two 16-byte slot loads and two FMAs for 32 nonzeros. (A slice of 16 rows, one
 * vector, pads less but takes twice the (slice, block) pairs, whose loop exits are hard to
 * predict: 5-12% slower in the lab.)
 *
 * <p>Layout: for slice {@code s} and block {@code b}, steps {@code [stepStart[s * blocks + b],
 * stepStart[s * blocks + b + 1])}; the step count is the most nonzeros any of the slice's rows has
 * in that block. Step {@code t} holds lane {@code i} (row {@code 32 s + i}) at
 * {@code laneValues[32 t + i]} and its column's slot in the block, {@code column - 63 b}, at
 * {@code laneSlots[32 t + i]}. A row's nonzeros of one block fill its lane's steps in CSR order.
 * Lanes with nothing left are padding: value -0 at slot 63, where x is 0, and
 * {@code fma(-0, 0, sum)} returns sum unchanged, also when sum is -0, and whatever x holds (an
 * infinity in x reaches exactly the rows that have a nonzero in its column, as in CSR).
 *
 * <p>Padding is the price: on uniform random masks 46% of the lanes are padding at 90% sparsity
 * (1024 x 1024). The layout costs 5 bytes a lane against CSR's 8 a nonzero, and is built once per
 * matrix ({@link dev.powerprop.engine.sparse.CsrMatrix} keeps it). Immutable once built.
 */
public final class SlicedEll {
    /** Float lanes of a 512-bit vector. */
    static final int VECTOR_LANES = 16;
    /** Rows per slice: two vectors. */
    static final int SLICE_ROWS = 2 * VECTOR_LANES;
    /** Entries of x per block: four vectors of 16. */
    static final int BLOCK_SLOTS = 64;
    /** Columns per block: the last slot holds the 0 that padding lanes read. */
    static final int BLOCK_COLUMNS = BLOCK_SLOTS - 1;
    static final byte PADDING_SLOT = BLOCK_COLUMNS;
    /** The most lanes a Java array holds, with room for the JVM's header words. */
    private static final long MAX_LANES = Integer.MAX_VALUE - 16;
    /**
     * A layout with more lanes than this per nonzero is not built: rows that are very unequal
     * within a slice (one dense row among empty ones) would pad it to up to 32 lanes a nonzero,
     * 20 times CSR's memory and work. Uniform random masks need 1.9 (90% sparse) to about 4 (at
     * one nonzero per row and block on average).
     */
    static final int MAX_LANES_PER_NONZERO = 6;

    final int rows;
    final int cols;
    /** Nonzeros of the matrix it was built from: a check that a caller passes the right layout. */
    final int nnz;
    final int slices;
    final int blocks;
    final int[] stepStart;
    /** {@code stepStart} at each slice's first block: the work per slice, for the thread split. */
    final int[] sliceStepStart;
    final float[] laneValues;
    final byte[] laneSlots;

    private SlicedEll(int rows, int cols, int nnz, int slices, int blocks, int[] stepStart, int[] sliceStepStart,
                      float[] laneValues, byte[] laneSlots) {
        this.rows = rows;
        this.cols = cols;
        this.nnz = nnz;
        this.slices = slices;
        this.blocks = blocks;
        this.stepStart = stepStart;
        this.sliceStepStart = sliceStepStart;
        this.laneValues = laneValues;
        this.laneSlots = laneSlots;
    }

    /** Column blocks of a matrix with {@code cols} columns. */
    static int blocks(int cols) {
        return (int) (((long) cols + BLOCK_COLUMNS - 1) / BLOCK_COLUMNS);
    }

    /**
     * The layout of a CSR matrix (structure trusted as by the kernels), or null when it would
     * not fit in Java arrays or would pad more than {@link #MAX_LANES_PER_NONZERO} lanes a
     * nonzero.
     */
    static SlicedEll of(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values) {
        return of(rows, cols, rowPtr, colIdx, values, MAX_LANES_PER_NONZERO);
    }

    /** As {@link #of(int, int, int[], int[], float[])} with another limit on padding (tests use none). */
    static SlicedEll of(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values, long maxLanesPerNonzero) {
        CsrArguments.checkCsr(rows, cols, rowPtr, colIdx, values);
        int slices = (int) (((long) rows + SLICE_ROWS - 1) / SLICE_ROWS);
        int blocks = blocks(cols);
        if ((long) slices * blocks >= Integer.MAX_VALUE || (long) blocks * BLOCK_SLOTS > MAX_LANES) {
            return null;
        }
        long maxLanes = Math.min(MAX_LANES, maxLanesPerNonzero * Math.max(1, rowPtr[rows]));
        int[] stepStart = new int[slices * blocks + 1];
        int[] sliceStepStart = new int[slices + 1];
        int[] inBlock = new int[blocks];
        int[] longest = new int[blocks];
        long steps = 0;
        for (int s = 0; s < slices; s++) {
            Arrays.fill(longest, 0);
            for (int r = s * SLICE_ROWS; r < Math.min(rows, (s + 1) * SLICE_ROWS); r++) {
                for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
                    inBlock[colIdx[p] / BLOCK_COLUMNS]++;
                }
                for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
                    int b = colIdx[p] / BLOCK_COLUMNS;
                    longest[b] = Math.max(longest[b], inBlock[b]);
                    inBlock[b] = 0;
                }
            }
            sliceStepStart[s] = (int) steps;
            for (int b = 0; b < blocks; b++) {
                steps += longest[b];
                if (steps * SLICE_ROWS > maxLanes) {
                    return null;
                }
                stepStart[s * blocks + b + 1] = (int) steps;
            }
        }
        sliceStepStart[slices] = (int) steps;
        float[] laneValues = new float[(int) steps * SLICE_ROWS];
        byte[] laneSlots = new byte[(int) steps * SLICE_ROWS];
        Arrays.fill(laneValues, -0f);
        Arrays.fill(laneSlots, PADDING_SLOT);
        for (int r = 0; r < rows; r++) {
            int s = r / SLICE_ROWS;
            int lane = r - s * SLICE_ROWS;
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
                int b = colIdx[p] / BLOCK_COLUMNS;
                int t = stepStart[s * blocks + b] + inBlock[b]++;
                laneValues[t * SLICE_ROWS + lane] = values[p];
                laneSlots[t * SLICE_ROWS + lane] = (byte) (colIdx[p] - b * BLOCK_COLUMNS);
            }
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
                inBlock[colIdx[p] / BLOCK_COLUMNS] = 0;
            }
        }
        return new SlicedEll(rows, cols, rowPtr[rows], slices, blocks, stepStart, sliceStepStart, laneValues,
                laneSlots);
    }

    /** Lanes stored, padding included: {@value #SLICE_ROWS} per step. */
    public int lanes() {
        return laneValues.length;
    }

    /**
     * x copied into blocks of {@value #BLOCK_SLOTS} slots: block b holds columns
     * {@code [63 b, 63 b + 63)} then a 0 (and zeros past the last column).
     */
    float[] blockSlots(float[] x) {
        float[] slots = new float[blocks * BLOCK_SLOTS];
        for (int b = 0; b < blocks; b++) {
            int from = b * BLOCK_COLUMNS;
            System.arraycopy(x, from, slots, b * BLOCK_SLOTS, Math.min(BLOCK_COLUMNS, cols - from));
        }
        return slots;
    }
}
