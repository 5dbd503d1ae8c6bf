package dev.powerprop.engine.sparse;

import dev.powerprop.engine.DType;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.cpu.sparse.CsrSpmm;
import dev.powerprop.engine.cpu.sparse.CsrSpmv;
import dev.powerprop.engine.cpu.sparse.CsrTranspose;
import dev.powerprop.engine.cpu.sparse.SlicedEll;
import java.util.Optional;

/**
 * An immutable sparse matrix in compressed sparse row (CSR) form; rows are output units.
 *
 * <p>Row {@code r} holds the nonzeros {@code p} in {@code [rowPtr[r], rowPtr[r+1])}: value
 * {@code values[p]} at column {@code colIdx[p]}, columns strictly increasing within a row.
 * Every constructor validates this and says what is wrong, so the same checks guard a matrix
 * a user loads from a file. A stored value may be 0: the structure is the mask, and training
 * may move a kept weight through zero.
 *
 * <p>Immutable and safe to share between threads: the arrays are private copies and every
 * accessor returns a copy. The kernels ({@code dev.powerprop.engine.cpu.sparse}) work on raw
 * arrays, BLAS style; {@link #multiply} hands them this matrix's own arrays without copying.
 *
 * <p>Column offsets are pre-scaled inside the kernel, per nonzero, not stored here: the SpMM
 * loop turns {@code colIdx[p]} into the offset {@code colIdx[p] * n + j} of B's row with one
 * integer multiply, next to the up to 8 vector loads and FMAs it feeds. A stored
 * {@code colIdx * n} array would tie an immutable, shareable matrix to one batch size and add
 * nnz ints of memory traffic, for an instruction that is not the bottleneck.
 *
 * <p>The first matrix-vector product (n = 1) with 512-bit vectors also builds the matrix's
 * {@link SlicedEll} layout for the sliced SpMV kernel and keeps it for the next ones. It takes
 * 1.2 times the matrix's memory at 90% sparsity on a uniform mask, and at most about 4 times
 * (a layout that would pad more is not built).
 */
public final class CsrMatrix {
    private final int rows;
    private final int cols;
    private final int[] rowPtr;
    private final int[] colIdx;
    private final float[] values;
    /**
     * {@link CsrSpmm#structureIndex} of this structure, found by the first product that needs it:
     * null until then. Two threads may both find it; they find the same, and the volatile write
     * publishes it whole. The same holds for the layout below.
     */
    private volatile CsrSpmm.StructureIndex structureIndex;
    /**
     * {@link CsrSpmv#slicedLayout} of this matrix, built by the first matrix-vector product: null
     * until then, empty when the product runs another kernel. It copies the values, so
     * {@code withValues} starts without one.
     */
    private volatile Optional<SlicedEll> slicedLayout;

    private CsrMatrix(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values) {
        this.rows = rows;
        this.cols = cols;
        this.rowPtr = rowPtr;
        this.colIdx = colIdx;
        this.values = values;
    }

    /**
     * A matrix from its three arrays (copied).
     *
     * @throws IllegalArgumentException naming the first thing that is wrong: a negative size,
     *     an array length, {@code rowPtr} not starting at 0, decreasing, or not ending at nnz,
     *     a column out of {@code [0, cols)}, or columns not strictly increasing within a row
     */
    public static CsrMatrix of(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values) {
        validate(rows, cols, rowPtr, colIdx, values);
        return new CsrMatrix(rows, cols, rowPtr.clone(), colIdx.clone(), values.clone());
    }

    /**
     * The entries of a dense row-major {@code rows x cols} matrix where {@code mask} is 1; the
     * mask must hold only 0 and 1 (a pruning mask). Masked-in zeros are stored.
     */
    public static CsrMatrix fromDense(float[] dense, float[] mask, int rows, int cols) {
        checkDense("dense", dense, rows, cols);
        checkDense("mask", mask, rows, cols);
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0f && mask[i] != 1f) {
                throw new IllegalArgumentException("mask must hold only 0 and 1, but mask[" + i / cols
                        + ", " + i % cols + "] = " + mask[i]);
            }
        }
        return build(dense, rows, cols, i -> mask[i] == 1f);
    }

    /** As {@link #fromDense(float[], float[], int, int)} from 2-D float32 tensors of equal shape. */
    public static CsrMatrix fromDense(Tensor dense, Tensor mask) {
        requireMatrix("dense", dense);
        Tensor.requireSameShape("CsrMatrix.fromDense", dense, mask);
        return fromDense(floats(dense), floats(mask), dense.dim(0), dense.dim(1));
    }

    /**
     * The entries of a dense row-major matrix with {@code |x| > threshold}; a threshold of 0
     * keeps every nonzero. NaN is kept (it is not a small magnitude, and hiding it would hide a bug).
     */
    public static CsrMatrix fromDenseThreshold(float[] dense, int rows, int cols, float threshold) {
        checkDense("dense", dense, rows, cols);
        if (!(threshold >= 0)) {
            throw new IllegalArgumentException("threshold must be >= 0, got " + threshold);
        }
        return build(dense, rows, cols, i -> !(Math.abs(dense[i]) <= threshold));
    }

    /** As {@link #fromDenseThreshold(float[], int, int, float)} from a 2-D float32 tensor. */
    public static CsrMatrix fromDenseThreshold(Tensor dense, float threshold) {
        requireMatrix("dense", dense);
        return fromDenseThreshold(floats(dense), dense.dim(0), dense.dim(1), threshold);
    }

    private interface Keep {
        boolean test(int index);
    }

    private static CsrMatrix build(float[] dense, int rows, int cols, Keep keep) {
        int[] rowPtr = new int[rows + 1];
        int nnz = 0;
        for (int i = 0; i < rows * cols; i++) {
            if (keep.test(i)) {
                nnz++;
            }
        }
        int[] colIdx = new int[nnz];
        float[] values = new float[nnz];
        int p = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                if (keep.test(i)) {
                    colIdx[p] = c;
                    values[p] = dense[i];
                    p++;
                }
            }
            rowPtr[r + 1] = p;
        }
        return new CsrMatrix(rows, cols, rowPtr, colIdx, values);
    }

    /** The same structure with other values (copied); {@code values.length} must be nnz. */
    public CsrMatrix withValues(float[] newValues) {
        if (newValues == null || newValues.length != nnz()) {
            throw new IllegalArgumentException("values must have nnz = " + nnz() + " elements, got "
                    + (newValues == null ? "null" : newValues.length));
        }
        CsrMatrix same = new CsrMatrix(rows, cols, rowPtr, colIdx, newValues.clone());
        same.structureIndex = structureIndex; // it depends on the structure only
        return same;
    }

    /** A^T as a CSR matrix ({@code cols x rows}): a counting sort of the nonzeros by column. */
    public CsrMatrix transpose() {
        int[] tPtr = new int[cols + 1];
        int[] tIdx = new int[nnz()];
        float[] tVal = new float[nnz()];
        int[] perm = new int[nnz()];
        CsrTranspose.structure(rows, cols, rowPtr, colIdx, tPtr, tIdx, perm);
        for (int q = 0; q < perm.length; q++) {
            tVal[q] = values[perm[q]];
        }
        return new CsrMatrix(cols, rows, tPtr, tIdx, tVal);
    }

    // ---- products ---------------------------------------------------------------------------

    /**
     * {@code C = A * B}, or {@code C += A * B} when {@code accumulate}; with {@code bias}
     * (length rows, may be null) {@code bias[m]} is added to every element of row m. B is
     * {@code cols x n} and C {@code rows x n}, both row-major. n = 1 runs the SpMV kernel.
     * Uses {@link Parallel#threads()} threads.
     */
    public void multiply(float[] b, int n, float[] c, float[] bias, boolean accumulate) {
        multiply(b, n, c, bias, accumulate, Parallel.threads());
    }

    /** As {@link #multiply(float[], int, float[], float[], boolean)} on {@code threads} threads. */
    public void multiply(float[] b, int n, float[] c, float[] bias, boolean accumulate, int threads) {
        if (n == 1) {
            CsrSpmv.spmv(rows, cols, rowPtr, colIdx, values, b, c, bias, accumulate, threads, slicedLayout());
        } else {
            CsrSpmm.spmm(rows, cols, rowPtr, colIdx, values, b, n, c, bias, accumulate, threads, structureIndex());
        }
    }

    /**
     * {@code C = A * B^T (+ C if accumulate) (+ bias[m] on row m)} for {@code bt} of shape
     * {@code n x cols} row-major: a row-major batch of n inputs, one per row, whose product comes
     * out feature-major (C is {@code rows x n}). No transposed copy of the batch is made: the
     * kernel transposes while packing its panels. Bitwise the same as {@link #multiply} on the
     * transposed batch.
     */
    public void multiplyTransposedB(float[] bt, int n, float[] c, float[] bias, boolean accumulate, int threads) {
        if (n == 1) {
            CsrSpmv.spmv(rows, cols, rowPtr, colIdx, values, bt, c, bias, accumulate, threads, slicedLayout());
        } else {
            CsrSpmm.spmmTransposedB(rows, cols, rowPtr, colIdx, values, bt, n, c, bias, accumulate, threads,
                    structureIndex());
        }
    }

    /** This structure's index for the SpMM kernel, found once: a product needs it anew only when not kept. */
    private CsrSpmm.StructureIndex structureIndex() {
        CsrSpmm.StructureIndex index = structureIndex;
        if (index == null) {
            index = CsrSpmm.structureIndex(rows, cols, rowPtr, colIdx);
            structureIndex = index;
        }
        return index;
    }

    /** This matrix's layout for the sliced SpMV kernel, built once; null when another kernel runs. */
    private SlicedEll slicedLayout() {
        Optional<SlicedEll> layout = slicedLayout;
        if (layout == null) {
            layout = Optional.ofNullable(CsrSpmv.slicedLayout(rows, cols, rowPtr, colIdx, values));
            slicedLayout = layout;
        }
        return layout.orElse(null);
    }

    /** {@code A * B} for a float32 tensor B of shape [cols, n]: a new [rows, n] tensor. */
    public Tensor multiply(Tensor b) {
        if (b.rank() != 2 || b.dim(0) != cols) {
            throw new IllegalArgumentException("CsrMatrix " + rows + "x" + cols + " times " + b.shape()
                    + ": B must be [" + cols + ", n]");
        }
        Tensor c = Tensor.zeros(rows, b.dim(1));
        multiply(floats(b), b.dim(1), c.data(), null, false);
        return c;
    }

    // ---- accessors --------------------------------------------------------------------------

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Number of stored entries. */
    public int nnz() {
        return rowPtr[rows];
    }

    /** Number of stored entries in row {@code r}. */
    public int rowNnz(int r) {
        return rowPtr[r + 1] - rowPtr[r];
    }

    /**
     * Whether every four consecutive rows share their columns (the last rows % 4 rows aside), as
     * after block pruning ({@code powerprop prune --block 4}): products with 8 vectors' worth of
     * columns or more then read each row of B once for four rows.
     */
    public boolean rowsInFours() {
        return CsrSpmm.rowsInFours(rows, rowPtr, colIdx);
    }

    /** Fraction of entries stored: nnz / (rows * cols); 0 for an empty shape. */
    public double density() {
        long size = (long) rows * cols;
        return size == 0 ? 0 : (double) nnz() / size;
    }

    /** Fraction of entries not stored: 1 - density (1 for an empty shape). */
    public double sparsity() {
        return 1 - density();
    }

    /** A copy of the row pointers (length rows + 1). */
    public int[] rowPtr() {
        return rowPtr.clone();
    }

    /** A copy of the column indices (length nnz). */
    public int[] colIdx() {
        return colIdx.clone();
    }

    /** A copy of the stored values (length nnz). */
    public float[] values() {
        return values.clone();
    }

    /** The dense row-major {@code rows x cols} matrix, zeros where nothing is stored. */
    public float[] toDense() {
        float[] dense = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
                dense[r * cols + colIdx[p]] = values[p];
            }
        }
        return dense;
    }

    /** The dense matrix as a float32 tensor [rows, cols]. */
    public Tensor toDenseTensor() {
        return Tensor.of(toDense(), rows, cols);
    }

    @Override
    public String toString() {
        return String.format("CsrMatrix(%d x %d, nnz %d, sparsity %.4f)", rows, cols, nnz(), sparsity());
    }

    // ---- validation -------------------------------------------------------------------------

    /**
     * Checks a CSR structure and throws, naming what is wrong. Public so that a loader can say
     * what is wrong with a file before building anything.
     */
    public static void validate(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("CSR shape must be non-negative, got " + rows + " x " + cols);
        }
        if ((long) rows * cols > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("CSR shape " + rows + " x " + cols + " has more than 2^31 - 1 entries");
        }
        if (rowPtr == null || colIdx == null || values == null) {
            throw new IllegalArgumentException("CSR arrays must not be null (rowPtr "
                    + (rowPtr == null ? "null" : "ok") + ", colIdx " + (colIdx == null ? "null" : "ok")
                    + ", values " + (values == null ? "null" : "ok") + ")");
        }
        if (rowPtr.length != rows + 1) {
            throw new IllegalArgumentException("rowPtr must have rows + 1 = " + (rows + 1)
                    + " elements, got " + rowPtr.length);
        }
        if (rowPtr[0] != 0) {
            throw new IllegalArgumentException("rowPtr[0] must be 0, got " + rowPtr[0]);
        }
        if (colIdx.length != values.length) {
            throw new IllegalArgumentException("colIdx and values must have the same length (nnz), got "
                    + colIdx.length + " and " + values.length);
        }
        if (rowPtr[rows] != colIdx.length) {
            throw new IllegalArgumentException("rowPtr[" + rows + "] must equal nnz = " + colIdx.length
                    + ", got " + rowPtr[rows]);
        }
        for (int r = 0; r < rows; r++) {
            if (rowPtr[r + 1] < rowPtr[r]) {
                throw new IllegalArgumentException("rowPtr must not decrease, but rowPtr[" + r + "] = "
                        + rowPtr[r] + " > rowPtr[" + (r + 1) + "] = " + rowPtr[r + 1]);
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
                int c = colIdx[p];
                if (c < 0 || c >= cols) {
                    throw new IllegalArgumentException("colIdx[" + p + "] = " + c + " (row " + r
                            + ") is outside [0, " + cols + ")");
                }
                if (p > rowPtr[r] && c <= colIdx[p - 1]) {
                    throw new IllegalArgumentException("columns must strictly increase within a row, but row "
                            + r + " has colIdx[" + (p - 1) + "] = " + colIdx[p - 1] + " then colIdx[" + p
                            + "] = " + c);
                }
            }
        }
    }

    private static void checkDense(String name, float[] a, int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("shape must be non-negative, got " + rows + " x " + cols);
        }
        if (a == null || a.length != (long) rows * cols) {
            throw new IllegalArgumentException(name + " must have rows * cols = " + (long) rows * cols
                    + " elements, got " + (a == null ? "null" : a.length));
        }
    }

    private static void requireMatrix(String name, Tensor t) {
        if (t.rank() != 2) {
            throw new IllegalArgumentException(name + " must be a 2-D tensor, got shape " + t.shape());
        }
    }

    private static float[] floats(Tensor t) {
        if (t.dtype() != DType.F32) {
            throw new IllegalArgumentException("CsrMatrix holds float32; got a " + t.dtype() + " tensor "
                    + t.shape() + " (convert with to(DType.F32))");
        }
        return t.data();
    }
}
