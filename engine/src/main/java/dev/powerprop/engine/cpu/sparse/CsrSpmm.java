package dev.powerprop.engine.cpu.sparse;

import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.cpu.VectorSupport;
import dev.powerprop.engine.cpu.layout.Transpose;
import java.util.Arrays;

/**
 * Sparse times dense, {@code C[rows x n] = A_csr[rows x cols] * B[cols x n]}, B and C row-major.
 *
 * <p>The vector runs along n, the dense dimension (XNNPACK's f32-spmm design): for each row m
 * and each block of C[m, :] held in registers, every nonzero a[m,k] is broadcast and FMA'd into
 * the contiguous row B[k, :]. No wasted work on zeros, and no gathers: B's rows are read with
 * plain vector loads ({@link CsrSpmmVector}). Rows are cut by nonzero count
 * ({@link RowPartition}) into chunks the threads take as they come free. When rows come in
 * fours that share their columns (block pruning), each vector of B is loaded once for four rows.
 * With the Vector API off, {@link CsrSpmmScalar} runs the same loops.
 *
 * <p>Each output element is always summed by the same loop in the same order, so results are
 * bitwise the same for any thread count.
 */
public final class CsrSpmm {
    /** Below this many multiply-adds one thread is faster than waking another. */
    private static final long PARALLEL_MIN_MACS = 1L << 16;

    private CsrSpmm() {}

    /**
     * {@code C = A * B}, or {@code C += A * B} when {@code accumulate}; with {@code bias}
     * (length rows, or null) {@code bias[m]} is added to every element of row m of C.
     *
     * @throws IllegalArgumentException naming the argument whose size is wrong
     */
    public static void spmm(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values,
                            float[] b, int n, float[] c, float[] bias, boolean accumulate, int threads) {
        spmm(rows, cols, rowPtr, colIdx, values, b, n, c, bias, accumulate, threads, null);
    }

    /**
     * What the SpMM kernel uses of A's structure beyond the CSR arrays, for a caller that
     * multiplies by the same structure again and keeps it
     * ({@link dev.powerprop.engine.sparse.CsrMatrix} does). It depends on the structure only, not
     * on the values. Only {@link #structureIndex} makes one, since a wrong one would give wrong
     * products; a product checks that it was made for a matrix of its rows and nonzeros.
     */
    public static final class StructureIndex {
        private final int rows;
        private final int nnz;
        private final int[] kBlockEnds;
        private final boolean rowsInFours;

        /**
         * @param kBlockEnds where each row's nonzeros cross from one block of B's rows into the
         *     next, for K-blocked products; null when they are not K-blocked (too sparse, rows in
         *     fours, or no Vector API)
         * @param rowsInFours rows 4g to 4g + 3 share their columns for every g (the mask of
         *     block pruning, {@code powerprop prune --block 4}): each row of B is then read once
         *     for four rows of A
         */
        StructureIndex(int rows, int nnz, int[] kBlockEnds, boolean rowsInFours) {
            this.rows = rows;
            this.nnz = nnz;
            this.kBlockEnds = kBlockEnds;
            this.rowsInFours = rowsInFours;
        }

        int[] kBlockEnds() {
            return kBlockEnds;
        }

        boolean rowsInFours() {
            return rowsInFours;
        }

        /** Refuses to serve a matrix other than the one it was made for, as far as a cheap check can tell. */
        void checkFor(int rows, int nnz) {
            if (rows != this.rows || nnz != this.nnz) {
                throw new IllegalArgumentException("this structure index was made for a matrix of " + this.rows
                        + " rows and " + this.nnz + " nonzeros, not " + rows + " and " + nnz);
            }
        }
    }

    /**
     * Whether A's rows come in fours that share their columns: rows 4g to 4g + 3 have the same
     * column indices, for every whole group of four (the last rows % 4 rows may be anything).
     * That is the mask of {@code powerprop prune --block 4}. Stops at the first group that
     * differs, so on other matrices it costs a few rows; on such a matrix, one pass over colIdx.
     */
    public static boolean rowsInFours(int rows, int[] rowPtr, int[] colIdx) {
        if (rows < 4) {
            return false;
        }
        for (int r = 0; r + 3 < rows; r += 4) {
            int p = rowPtr[r];
            int length = rowPtr[r + 1] - p;
            for (int i = 1; i < 4; i++) {
                int q = rowPtr[r + i];
                if (rowPtr[r + i + 1] - q != length || !Arrays.equals(colIdx, p, p + length, colIdx, q, q + length)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The {@link StructureIndex} of this structure. */
    public static StructureIndex structureIndex(int rows, int cols, int[] rowPtr, int[] colIdx) {
        if (rows < 0 || rowPtr == null || rowPtr.length != rows + 1 || colIdx == null || colIdx.length < rowPtr[rows]) {
            throw new IllegalArgumentException("structureIndex needs rowPtr of rows + 1 = " + (rows + 1)
                    + " elements and colIdx of rowPtr[rows] elements");
        }
        if (!VectorSupport.ENABLED || rows == 0) {
            return new StructureIndex(rows, rowPtr[rows], null, false);
        }
        return CsrSpmmVector.structureIndex(rows, cols, rowPtr, colIdx);
    }

    /**
     * {@link #spmm(int, int, int[], int[], float[], float[], int, float[], float[], boolean, int)}
     * with the {@link #structureIndex} of this structure, or null to find what it needs of it in
     * the product.
     */
    public static void spmm(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values,
                            float[] b, int n, float[] c, float[] bias, boolean accumulate, int threads,
                            StructureIndex index) {
        CsrArguments.checkCsr(rows, cols, rowPtr, colIdx, values);
        CsrArguments.checkDense("B", b, cols, n);
        checkOutput(rows, n, c, bias, threads);
        if (index != null) {
            index.checkFor(rows, rowPtr[rows]);
        }
        if (rows == 0 || n == 0) {
            return;
        }
        long macs = (long) rowPtr[rows] * n;
        int parts = macs < PARALLEL_MIN_MACS ? 1 : Math.min(threads, rows);
        if (VectorSupport.ENABLED) {
            CsrSpmmVector.multiply(rows, cols, rowPtr, colIdx, values, b, false, n, c, bias, accumulate, parts,
                    index);
            return;
        }
        // A row's own cost (initialising and storing its n outputs) is about one nonzero's.
        int[] bounds = RowPartition.split(rowPtr, rows, parts, 1);
        Parallel.run(parts, part -> CsrSpmmScalar.rows(bounds[part], bounds[part + 1], rowPtr, colIdx, values, b, n,
                c, bias, accumulate, 0, n));
    }

    /**
     * {@code C = A * B} where B is given transposed: {@code bt} is B^T, {@code n x cols}
     * row-major, such as a row-major batch of n inputs to a layer whose output is feature-major.
     * The transposition is folded into the packing of B's panels ({@link CsrSpmmVector}), so
     * there is no separate pass over B; the result is bitwise that of {@link #spmm} on B. Other
     * arguments as there.
     */
    public static void spmmTransposedB(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values,
                                       float[] bt, int n, float[] c, float[] bias, boolean accumulate, int threads) {
        spmmTransposedB(rows, cols, rowPtr, colIdx, values, bt, n, c, bias, accumulate, threads, null);
    }

    /** {@link #spmmTransposedB} with the {@link #structureIndex} of this structure, or null. */
    public static void spmmTransposedB(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values,
                                       float[] bt, int n, float[] c, float[] bias, boolean accumulate, int threads,
                                       StructureIndex index) {
        CsrArguments.checkCsr(rows, cols, rowPtr, colIdx, values);
        CsrArguments.checkDense("B^T", bt, n, cols);
        checkOutput(rows, n, c, bias, threads);
        if (index != null) {
            index.checkFor(rows, rowPtr[rows]);
        }
        if (rows == 0 || n == 0) {
            return;
        }
        if (!VectorSupport.ENABLED || cols > CsrSpmmVector.PACK_MAX_COLS) {
            // No packing kernel (or its buffer would be too large): transpose once, then multiply.
            float[] b = new float[cols * n];
            Transpose.transpose(bt, n, cols, b);
            spmm(rows, cols, rowPtr, colIdx, values, b, n, c, bias, accumulate, threads, index);
            return;
        }
        long macs = (long) rowPtr[rows] * n;
        int parts = macs < PARALLEL_MIN_MACS ? 1 : Math.min(threads, rows);
        CsrSpmmVector.multiply(rows, cols, rowPtr, colIdx, values, bt, true, n, c, bias, accumulate, parts,
                index);
    }

    /** The checks both products share after A and B: C (rows x n), the bias and the thread count. */
    private static void checkOutput(int rows, int n, float[] c, float[] bias, int threads) {
        CsrArguments.checkDense("C", c, rows, n);
        CsrArguments.checkBias(bias, rows);
        CsrArguments.checkThreads(threads);
    }
}
