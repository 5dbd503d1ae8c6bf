package dev.powerprop.engine.ops;

import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.autograd.Op;

/**
 * C = op(A) op(B) for 2-D tensors, where op(X) is X or its transpose. The transposes are flags
 * handed to GEMM, never copies: a layer computes x W^T as {@code apply(x, w, false, true)}.
 *
 * <p>Backward (saves A and B), with G = dL/dC; each gradient is itself one GEMM that adds into
 * the stored layout of its operand:
 * <pre>
 *   A stored as op(A):   dA = G op(B)^T          A stored transposed:  dA = op(B) G^T
 *   B stored as op(B):   dB = op(A)^T G          B stored transposed:  dB = G^T op(A)
 * </pre>
 */
public final class MatMul extends Op {
    private final boolean transA;
    private final boolean transB;
    private final int m;
    private final int n;
    private final int k;

    private MatMul(Tensor a, Tensor b, boolean transA, boolean transB, int m, int n, int k) {
        super(a, b);
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
    }

    /** op(a) op(b); fails, naming both shapes, when the inner dimensions differ. */
    public static Tensor apply(Tensor a, Tensor b, boolean transA, boolean transB) {
        Tensor.requireSameBackend("matmul", a, b);
        if (a.rank() != 2 || b.rank() != 2) {
            throw new IllegalArgumentException("matmul needs 2-D tensors, got " + a.shape() + " and " + b.shape());
        }
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (k != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions differ, " + describe(a, transA) + " x "
                    + describe(b, transB) + " (" + k + " vs " + kb + ")");
        }
        Tensor c = a.backend().uninitialized(dev.powerprop.engine.Shape.of(m, n)); // beta = 0 writes all of it
        a.backend().gemm(transA, transB, m, n, k, 1, a, 0, a.dim(1), b, 0, b.dim(1), 0, c, 0, n);
        return Op.record(c, new MatMul(a, b, transA, transB, m, n, k));
    }

    private static String describe(Tensor t, boolean trans) {
        return t.shape() + (trans ? "^T" : "");
    }

    @Override
    public void backward(Tensor g) {
        Tensor a = inputs()[0];
        Tensor b = inputs()[1];
        var be = g.backend();
        // The first contribution is written (beta = 0), a later one added (beta = 1).
        if (needsGrad(0)) {
            double beta = a.hasGrad() ? 1 : 0;
            Tensor ga = a.gradStorage();
            if (!transA) {
                be.gemm(false, !transB, m, k, n, 1, g, 0, n, b, 0, b.dim(1), beta, ga, 0, k);
            } else {
                be.gemm(transB, true, k, m, n, 1, b, 0, b.dim(1), g, 0, n, beta, ga, 0, m);
            }
        }
        if (needsGrad(1)) {
            double beta = b.hasGrad() ? 1 : 0;
            Tensor gb = b.gradStorage();
            if (!transB) {
                be.gemm(!transA, false, k, n, m, 1, a, 0, a.dim(1), g, 0, n, beta, gb, 0, n);
            } else {
                be.gemm(true, transA, n, k, m, 1, g, 0, n, a, 0, a.dim(1), beta, gb, 0, k);
            }
        }
    }
}
