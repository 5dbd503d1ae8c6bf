package dev.powerprop.engine.ops;

import dev.powerprop.engine.DType;
import dev.powerprop.engine.Shape;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.autograd.Op;
import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.cpu.sparse.CsrSddmm;
import dev.powerprop.engine.cpu.sparse.CsrSpmm;
import dev.powerprop.engine.cpu.sparse.CsrSpmmReference;
import dev.powerprop.engine.cpu.sparse.CsrSpmmTransposed;
import dev.powerprop.engine.cpu.sparse.CsrSpmv;
import dev.powerprop.engine.sparse.CsrMatrix;

/**
 * Y = A B for a sparse A (CSR, {@code rows x cols}) and a dense B ({@code [cols, n]}), giving a
 * dense Y {@code [rows, n]}. A's structure is fixed (a pruning mask); its stored values may be a
 * trainable tensor of shape {@code [nnz]}, in the order of the CSR arrays.
 *
 * <p>Backward (saves A's structure, the values and B), with G = dL/dY:
 * <pre>
 *   dB      = A^T G                          a transposed SpMM, [cols, n]
 *   dA[m,k] = sum_j G[m,j] B[k,j]            only at A's nonzeros (m,k): a sampled G B^T
 * </pre>
 * The dense dA = G B^T would cost rows * cols * n; at the nonzeros it costs nnz * n, and a
 * weight the mask removed gets no gradient, as pruning wants.
 *
 * <p>Float32 runs the fast kernels ({@code cpu.sparse}); float64 (gradient checks) runs the
 * reference loops of {@link CsrSpmmReference}. The structure arrays are copied out of the
 * immutable {@link CsrMatrix} once per call, O(rows + nnz) beside the nnz * n product.
 */
public final class SparseMatMul extends Op {
    private final int rows;
    private final int cols;
    private final int n;
    private final int[] rowPtr;
    private final int[] colIdx;

    private SparseMatMul(Tensor values, Tensor b, int rows, int cols, int n, int[] rowPtr, int[] colIdx) {
        super(values, b);
        this.rows = rows;
        this.cols = cols;
        this.n = n;
        this.rowPtr = rowPtr;
        this.colIdx = colIdx;
    }

    /** Y = A B with A's own (constant) values. */
    public static Tensor apply(CsrMatrix a, Tensor b) {
        float[] v = a.values();
        Tensor values = Tensor.of(v, v.length);
        return apply(a, b.dtype() == DType.F32 ? values : values.to(b.dtype()), b);
    }

    /**
     * Y = A B where A has the structure of {@code pattern} and the stored values {@code values}
     * ([nnz], same dtype as B); the pattern's own values are ignored.
     *
     * @throws IllegalArgumentException naming the shapes when they do not fit
     */
    public static Tensor apply(CsrMatrix pattern, Tensor values, Tensor b) {
        Tensor.requireSameBackend("sparse matmul", values, b);
        int rows = pattern.rows();
        int cols = pattern.cols();
        if (values.rank() != 1 || values.dim(0) != pattern.nnz()) {
            throw new IllegalArgumentException("sparse matmul: values must have shape [" + pattern.nnz()
                    + "] (the nnz of " + pattern + "), got " + values.shape());
        }
        if (b.rank() != 2 || b.dim(0) != cols) {
            throw new IllegalArgumentException("sparse matmul: A is " + rows + "x" + cols + " but B is "
                    + b.shape() + "; B must be [" + cols + ", n]");
        }
        int n = b.dim(1);
        int[] rowPtr = pattern.rowPtr();
        int[] colIdx = pattern.colIdx();
        Tensor y = Tensor.zeros(b.dtype(), Shape.of(rows, n));
        if (b.dtype() == DType.F32) {
            if (n == 1) {
                CsrSpmv.spmv(rows, cols, rowPtr, colIdx, values.data(), b.data(), y.data(), null, false,
                        Parallel.threads());
            } else {
                CsrSpmm.spmm(rows, cols, rowPtr, colIdx, values.data(), b.data(), n, y.data(), null, false,
                        Parallel.threads());
            }
        } else {
            CsrSpmmReference.spmm(rows, rowPtr, colIdx, values.doubles(), b.doubles(), n, y.doubles(), null, false);
        }
        return Op.record(y, new SparseMatMul(values, b, rows, cols, n, rowPtr, colIdx));
    }

    @Override
    public void backward(Tensor g) {
        Tensor values = inputs()[0];
        Tensor b = inputs()[1];
        boolean f32 = g.dtype() == DType.F32;
        if (needsGrad(1)) {
            Tensor gb = b.gradBuffer();
            if (f32) {
                CsrSpmmTransposed.spmmTransposed(rows, cols, rowPtr, colIdx, values.data(), g.data(), n,
                        gb.data(), Parallel.threads());
            } else {
                CsrSpmmReference.spmmTransposed(rows, rowPtr, colIdx, values.doubles(), g.doubles(), n,
                        gb.doubles());
            }
        }
        if (needsGrad(0)) {
            Tensor gv = values.gradBuffer();
            if (f32) {
                CsrSddmm.sddmm(rows, cols, rowPtr, colIdx, g.data(), b.data(), n, gv.data(), Parallel.threads());
            } else {
                CsrSpmmReference.sddmm(rows, rowPtr, colIdx, g.doubles(), b.doubles(), n, gv.doubles());
            }
        }
    }
}
