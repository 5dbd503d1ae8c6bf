package dev.powerprop.engine.sparse;

import static dev.powerprop.engine.GradCheck.check;
import static dev.powerprop.engine.GradCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.ops.SparseMatMul;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link SparseMatMul}: double-precision gradient checks, and float32 against the dense product. */
class SpmmGradientCheckTest {

    private static CsrMatrix pattern(int rows, int cols, double density, long seed) {
        Tensor w = Tensor.randn(seed, rows, cols);
        Tensor mask = Tensor.rand(seed + 1, 0, 1, rows, cols);
        for (int i = 0; i < mask.numel(); i++) {
            mask.set(i, mask.get(i) < density ? 1 : 0);
        }
        // Row 0 empty (when there are others): its output is 0 and must not break dB.
        for (int c = 0; c < cols && rows > 1; c++) {
            mask.set(c, 0);
        }
        // Row rows-1 full, so the single-row case has something to differentiate.
        for (int c = 0; c < cols; c++) {
            mask.set((rows - 1) * cols + c, 1);
        }
        return CsrMatrix.fromDense(w, mask);
    }

    @ParameterizedTest(name = "{0}x{1} n={2}")
    @CsvSource({"4, 5, 3", "3, 7, 1", "1, 1, 1", "6, 4, 9", "5, 9, 17"})
    void gradientsOfValuesAndDenseInputMatchCentralDifferences(int rows, int cols, int n) {
        CsrMatrix a = pattern(rows, cols, 0.5, rows * 31L + cols);
        Tensor values = uniform(3, -1, 1, a.nnz());
        Tensor b = uniform(4, -1, 1, cols, n);
        check(in -> SparseMatMul.apply(a, in[0], in[1]), values, b);
        // The same structure used twice: the gradients of both uses add up.
        check(in -> SparseMatMul.apply(a, in[0], in[1]).add(SparseMatMul.apply(a, in[0].mul(in[0]), in[1])),
                values, b);
    }

    @Test
    void float32ForwardAndBackwardMatchTheMaskedDenseMatMul() {
        int rows = 37;
        int cols = 53;
        int n = 19;
        CsrMatrix a = pattern(rows, cols, 0.2, 11);
        Tensor values = Tensor.of(a.values(), a.nnz()).requiresGrad(true);
        Tensor b = Tensor.randn(12, cols, n).requiresGrad(true);
        Tensor g = Tensor.randn(13, rows, n);
        Tensor y = SparseMatMul.apply(a, values, b);
        y.mul(g).sum().backward();

        Tensor dense = a.toDenseTensor().requiresGrad(true);
        Tensor b2 = b.detach().copy().requiresGrad(true);
        Tensor y2 = dense.matmul(b2);
        y2.mul(g).sum().backward();

        for (int i = 0; i < y.numel(); i++) {
            assertThat(y.get(i)).isCloseTo(y2.get(i), org.assertj.core.data.Offset.offset(1e-4));
        }
        for (int i = 0; i < b.numel(); i++) {
            assertThat(b.grad().get(i)).isCloseTo(b2.grad().get(i), org.assertj.core.data.Offset.offset(1e-4));
        }
        int[] rowPtr = a.rowPtr();
        int[] colIdx = a.colIdx();
        for (int r = 0; r < rows; r++) {
            for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
                assertThat(values.grad().get(p)).as("dValues[%d]", p)
                        .isCloseTo(dense.grad().get(r * cols + colIdx[p]), org.assertj.core.data.Offset.offset(1e-4));
            }
        }
    }

    @Test
    void constantValuesGiveOnlyTheDenseGradient() {
        CsrMatrix a = pattern(8, 6, 0.5, 5);
        Tensor b = Tensor.randn(6, 6, 16).requiresGrad(true);
        SparseMatMul.apply(a, b).sum().backward();
        assertThat(b.grad()).isNotNull();
    }

    @Test
    void shapesAreCheckedAndNamed() {
        CsrMatrix a = pattern(4, 5, 0.5, 1);
        assertThatThrownBy(() -> SparseMatMul.apply(a, Tensor.zeros(4, 2)))
                .hasMessageContaining("A is 4x5 but B is [4, 2]");
        assertThatThrownBy(() -> SparseMatMul.apply(a, Tensor.zeros(a.nnz() + 1), Tensor.zeros(5, 2)))
                .hasMessageContaining("values must have shape [" + a.nnz() + "]");
    }
}
