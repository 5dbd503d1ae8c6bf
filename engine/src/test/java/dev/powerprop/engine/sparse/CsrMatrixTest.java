package dev.powerprop.engine.sparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.powerprop.engine.Tensor;
import org.junit.jupiter.api.Test;

/** Construction, validation and the dense round trip of {@link CsrMatrix}. */
class CsrMatrixTest {
    // 3 x 4:  [1 0 2 0; 0 0 0 0; 0 3 0 4]
    private static final float[] DENSE = {1, 0, 2, 0, 0, 0, 0, 0, 0, 3, 0, 4};

    @Test
    void fromDenseWithAMaskStoresMaskedInEntriesIncludingZeros() {
        float[] mask = {1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1};
        CsrMatrix a = CsrMatrix.fromDense(DENSE, mask, 3, 4);
        assertThat(a.rowPtr()).containsExactly(0, 3, 3, 5);
        assertThat(a.colIdx()).containsExactly(0, 1, 2, 1, 3);
        assertThat(a.values()).containsExactly(1, 0, 2, 3, 4);
        assertThat(a.nnz()).isEqualTo(5);
        assertThat(a.rowNnz(1)).isZero();
        assertThat(a.density()).isEqualTo(5 / 12.0);
        assertThat(a.sparsity()).isCloseTo(7 / 12.0, org.assertj.core.data.Offset.offset(1e-15));
        float[] back = DENSE.clone();
        back[1] = 0;
        assertThat(a.toDense()).containsExactly(back);
    }

    @Test
    void thresholdKeepsMagnitudesAboveIt() {
        CsrMatrix nonzeros = CsrMatrix.fromDenseThreshold(DENSE, 3, 4, 0);
        assertThat(nonzeros.nnz()).isEqualTo(4);
        assertThat(nonzeros.toDense()).containsExactly(DENSE);
        CsrMatrix big = CsrMatrix.fromDenseThreshold(Tensor.of(DENSE.clone(), 3, 4), 2);
        assertThat(big.values()).containsExactly(3, 4);
        assertThatThrownBy(() -> CsrMatrix.fromDenseThreshold(DENSE, 3, 4, -1))
                .hasMessageContaining("threshold must be >= 0");
    }

    @Test
    void tensorFactoriesAndMultiplyAgreeWithDense() {
        Tensor w = Tensor.of(DENSE.clone(), 3, 4);
        Tensor mask = Tensor.of(new float[] {1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1}, 3, 4);
        CsrMatrix a = CsrMatrix.fromDense(w, mask);
        Tensor b = Tensor.randn(7, 4, 5);
        Tensor sparse = a.multiply(b);
        Tensor dense = w.matmul(b);
        for (int i = 0; i < dense.numel(); i++) {
            assertThat(sparse.get(i)).isCloseTo(dense.get(i), org.assertj.core.data.Offset.offset(1e-5));
        }
        assertThat(a.toDenseTensor().shape()).isEqualTo(w.shape());
    }

    @Test
    void emptyShapesAreValid() {
        CsrMatrix none = CsrMatrix.of(0, 5, new int[] {0}, new int[0], new float[0]);
        assertThat(none.nnz()).isZero();
        assertThat(none.sparsity()).isEqualTo(1.0);
        CsrMatrix noCols = CsrMatrix.fromDense(new float[0], new float[0], 3, 0);
        assertThat(noCols.rowPtr()).containsExactly(0, 0, 0, 0);
    }

    @Test
    void transposeSwapsRowsAndColumns() {
        CsrMatrix a = CsrMatrix.fromDenseThreshold(DENSE, 3, 4, 0);
        CsrMatrix t = a.transpose();
        assertThat(t.rows()).isEqualTo(4);
        assertThat(t.cols()).isEqualTo(3);
        float[] dt = t.toDense();
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                assertThat(dt[c * 3 + r]).isEqualTo(DENSE[r * 4 + c]);
            }
        }
        // A valid CSR: of(...) re-validates it.
        CsrMatrix.of(4, 3, t.rowPtr(), t.colIdx(), t.values());
    }

    @Test
    void isImmutableThroughItsArguments() {
        int[] rowPtr = {0, 1, 2};
        int[] colIdx = {0, 1};
        float[] values = {5, 6};
        CsrMatrix a = CsrMatrix.of(2, 2, rowPtr, colIdx, values);
        values[0] = 99;
        colIdx[1] = 0;
        a.values()[1] = 42;
        assertThat(a.values()).containsExactly(5, 6);
        assertThat(a.colIdx()).containsExactly(0, 1);
    }

    @Test
    void validationNamesWhatIsWrong() {
        float[] v2 = {1, 2};
        assertThatThrownBy(() -> CsrMatrix.of(2, 3, new int[] {0, 2}, new int[] {0, 1}, v2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rowPtr must have rows + 1 = 3 elements, got 2");
        assertThatThrownBy(() -> CsrMatrix.of(2, 3, new int[] {1, 1, 2}, new int[] {0, 1}, v2))
                .hasMessageContaining("rowPtr[0] must be 0, got 1");
        assertThatThrownBy(() -> CsrMatrix.of(2, 3, new int[] {0, 1, 3}, new int[] {0, 1}, v2))
                .hasMessageContaining("rowPtr[2] must equal nnz = 2, got 3");
        assertThatThrownBy(() -> CsrMatrix.of(2, 3, new int[] {0, 2, 2}, new int[] {0, 1}, new float[] {1}))
                .hasMessageContaining("colIdx and values must have the same length (nnz), got 2 and 1");
        assertThatThrownBy(() -> CsrMatrix.of(3, 3, new int[] {0, 2, 1, 2}, new int[] {0, 1}, v2))
                .hasMessageContaining("rowPtr must not decrease, but rowPtr[1] = 2 > rowPtr[2] = 1");
        assertThatThrownBy(() -> CsrMatrix.of(2, 3, new int[] {0, 1, 2}, new int[] {0, 3}, v2))
                .hasMessageContaining("colIdx[1] = 3 (row 1) is outside [0, 3)");
        assertThatThrownBy(() -> CsrMatrix.of(2, 3, new int[] {0, 1, 2}, new int[] {-1, 0}, v2))
                .hasMessageContaining("colIdx[0] = -1 (row 0) is outside [0, 3)");
        assertThatThrownBy(() -> CsrMatrix.of(1, 3, new int[] {0, 2}, new int[] {2, 2}, v2))
                .hasMessageContaining("columns must strictly increase within a row, but row 0 has colIdx[0] = 2 then colIdx[1] = 2");
        assertThatThrownBy(() -> CsrMatrix.of(-1, 3, new int[] {0}, new int[0], new float[0]))
                .hasMessageContaining("CSR shape must be non-negative");
        assertThatThrownBy(() -> CsrMatrix.of(1, 3, null, new int[0], new float[0]))
                .hasMessageContaining("rowPtr null");
        assertThatThrownBy(() -> CsrMatrix.fromDense(DENSE, new float[12 - 1], 3, 4))
                .hasMessageContaining("mask must have rows * cols = 12 elements, got 11");
        float[] badMask = new float[12];
        badMask[6] = 0.5f;
        assertThatThrownBy(() -> CsrMatrix.fromDense(DENSE, badMask, 3, 4))
                .hasMessageContaining("mask must hold only 0 and 1, but mask[1, 2] = 0.5");
        CsrMatrix a = CsrMatrix.fromDenseThreshold(DENSE, 3, 4, 0);
        assertThatThrownBy(() -> a.withValues(new float[3]))
                .hasMessageContaining("values must have nnz = 4 elements, got 3");
        assertThatThrownBy(() -> a.multiply(Tensor.zeros(3, 2)))
                .hasMessageContaining("CsrMatrix 3x4 times [3, 2]");
    }
}
