package dev.powerprop.engine.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.powerprop.engine.Shape;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.ops.MatMul;
import org.junit.jupiter.api.Test;

class RecycledBuffersTest {

    @Test
    void aDroppedGradientIsHandedOutAgainOnlyForItsOwnLengthAndOnlyOnce() {
        float[] buffer = new float[RecycledBuffers.MIN_LENGTH + 3];
        RecycledBuffers.give(buffer);
        assertThat(RecycledBuffers.take(buffer.length + 1)).isNull();
        assertThat(RecycledBuffers.take(buffer.length)).isSameAs(buffer);
        assertThat(RecycledBuffers.take(buffer.length)).isNull();
    }

    @Test
    void smallBuffersAreNotKeptAndUninitializedFallsBackToZeros() {
        RecycledBuffers.give(new float[16]);
        assertThat(RecycledBuffers.take(16)).isNull();
        Tensor t = Backends.cpu().uninitialized(Shape.of(3, 5));
        assertThat(t.data()).containsOnly(0f);
    }

    @Test
    void trainingStepsReuseIntermediateGradientsAndStillComputeTheRightOnes() {
        // w is an intermediate (a copy of a leaf), so its gradient x^T g is dropped after each
        // backward pass and recycled into the next one, which writes it with beta = 0.
        int n = 70, k = 64; // 70 x 64 floats, above the pool's minimum
        Tensor x = Tensor.randn(1, 5, k);
        Tensor leaf = Tensor.randn(2, n, k).requiresGrad(true);
        float[] first = null;
        for (int step = 0; step < 3; step++) {
            leaf.zeroGrad();
            Tensor w = leaf.mul(1.0);
            MatMul.apply(x, w, false, true).sum().backward();
            if (first == null) {
                first = leaf.grad().data().clone();
            }
            assertThat(leaf.grad().data()).as("step %d", step).containsExactly(first);
        }
        // d/dleaf sum(x leaf^T) = column sums of x, repeated per row of leaf
        for (int j = 0; j < k; j++) {
            float colSum = 0;
            for (int i = 0; i < 5; i++) {
                colSum += x.get(i * k + j);
            }
            assertThat(first[j]).isCloseTo(colSum, org.assertj.core.api.Assertions.within(1e-4f));
        }
    }
}
