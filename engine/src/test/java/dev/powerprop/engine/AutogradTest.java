package dev.powerprop.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.powerprop.engine.ops.MatMul;
import dev.powerprop.engine.ops.Powerprop;
import org.junit.jupiter.api.Test;

/** The graph mechanics: recording, accumulation, scopes and the errors a user can make. */
class AutogradTest {

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 3).requiresGrad(true);
        x.mul(2).sum().backward();
        x.mul(2).sum().backward();
        assertThat(x.grad().data()).containsExactly(4, 4, 4);
        x.zeroGrad();
        x.mul(3).sum().backward();
        assertThat(x.grad().data()).containsExactly(3, 3, 3);
    }

    @Test
    void opsThatWriteTheirFirstGradientStillAccumulateAndReuseTheBufferAfterZeroGrad() {
        // MatMul and Powerprop write the first contribution of a backward pass (beta = 0) into a
        // buffer kept from the last step: zeroGrad must not leak the old values, fan-out must add.
        Tensor v = Tensor.of(new float[] {0.5f, -1f, 2f, 0.25f}, 2, 2).requiresGrad(true);
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2).requiresGrad(true);
        Tensor w = Powerprop.apply(v, 2, null);
        MatMul.apply(x, w, false, true).sum().backward();
        float[] once = v.grad().data().clone();
        float[] onceX = x.grad().data().clone();
        Tensor storage = v.grad();

        v.zeroGrad();
        x.zeroGrad();
        assertThat(v.grad()).isNull();
        MatMul.apply(x, Powerprop.apply(v, 2, null), false, true).sum().backward();
        assertThat(v.grad()).isSameAs(storage);
        assertThat(v.grad().data()).containsExactly(once);
        assertThat(x.grad().data()).containsExactly(onceX);

        // x used twice in one graph (x x^T): both products add into x's gradient.
        x.zeroGrad();
        MatMul.apply(x, x, false, true).sum().backward();
        // d/dx sum(x x^T) = 2 * (column sums of x, repeated per row)
        float[] col = {1 + 3 + 5, 2 + 4 + 6};
        assertThat(x.grad().data()).containsExactly(2 * col[0], 2 * col[1], 2 * col[0], 2 * col[1],
                2 * col[0], 2 * col[1]);
    }

    @Test
    void noGradScopeRecordsNothing() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor y;
        try (var scope = NoGrad.enter()) {
            y = x.mul(x);
            assertThat(NoGrad.isGradEnabled()).isFalse();
        }
        assertThat(NoGrad.isGradEnabled()).isTrue();
        assertThat(y.creator()).isNull();
        assertThat(y.requiresGrad()).isFalse();
        assertThatThrownBy(() -> y.sum().backward()).hasMessageContaining("does not require a gradient");
    }

    @Test
    void constantsGetNoGradient() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor c = Tensor.of(new float[] {5, 7}, 2);
        x.mul(c).sum().backward();
        assertThat(x.grad().data()).containsExactly(5, 7);
        assertThat(c.grad()).isNull();
    }

    @Test
    void intermediateGradientsAreReleasedLeavesKeepTheirs() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor h = x.mul(x);
        h.sum().backward();
        assertThat(h.grad()).isNull();
        assertThat(x.grad().data()).containsExactly(2, 4);
    }

    @Test
    void aDeepChainDoesNotOverflowTheStack() {
        Tensor x = Tensor.of(new float[] {1}, 1).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 20_000; i++) {
            y = y.add(0.0);
        }
        y.sum().backward();
        assertThat(x.grad().data()[0]).isEqualTo(1f);
    }

    @Test
    void backwardNeedsAScalarOrAnExplicitGradient() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor y = x.mul(x);
        assertThatThrownBy(y::backward).hasMessageContaining("scalar").hasMessageContaining("[2]");
        y.backward(Tensor.of(new float[] {1, 10}, 2));
        assertThat(x.grad().data()).containsExactly(2, 40);
    }

    @Test
    void shapeErrorsNameBothShapes() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(4, 5);
        assertThatThrownBy(() -> a.matmul(b)).hasMessageContaining("[2, 3]").hasMessageContaining("[4, 5]");
        assertThatThrownBy(() -> a.add(Tensor.zeros(4))).hasMessageContaining("[2, 3]").hasMessageContaining("[4]");
        assertThatThrownBy(() -> Tensor.of(new float[5], 2, 3)).hasMessageContaining("5").hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> a.reshape(4, 2)).hasMessageContaining("[2, 3]").hasMessageContaining("[4, 2]");
    }

    @Test
    void matmulTransposeFlagsMatchExplicitTransposes() {
        Tensor a = Tensor.randn(1, 3, 4);
        Tensor b = Tensor.randn(2, 5, 4);
        Tensor viaFlag = MatMul.apply(a, b, false, true);
        Tensor viaCopy = a.matmul(b.transpose());
        for (int i = 0; i < viaFlag.numel(); i++) {
            assertThat(viaFlag.get(i)).isCloseTo(viaCopy.get(i), within(1e-5));
        }
    }

    @Test
    void reshapeIsAViewOfTheSameStorage() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor r = x.reshape(3, 2);
        assertThat(r.data()).isSameAs(x.data());
        assertThat(r.shape()).isEqualTo(Shape.of(3, 2));
    }

    @Test
    void sameSeedGivesTheSameTensor() {
        assertThat(Tensor.randn(42, 10).data()).containsExactly(Tensor.randn(42, 10).data());
        assertThat(Tensor.randn(42, 10).data()).isNotEqualTo(Tensor.randn(43, 10).data());
    }

    @Test
    void viewsShareTheVersionAndWritesCountAsModifications() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor r = x.reshape(4);
        int before = x.version();
        r.set(0, 5);
        assertThat(x.version()).isEqualTo(before + 1);
        x.markModified();
        assertThat(r.version()).isEqualTo(before + 2);
        assertThat(x.copy().version()).isZero();
    }

    @Test
    void backwardRefusesAnInputChangedInPlaceAfterForward() {
        Tensor w = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
        Tensor x = Tensor.of(new float[] {1, 1}, 1, 2).requiresGrad(true);
        Tensor loss = x.matmul(w).sum();
        w.set(0, 10); // what an optimiser step does between forward and backward
        assertThatThrownBy(loss::backward)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MatMul: input 1 [2, 2] was changed in place")
                .hasMessageContaining("version 0 then, 1 now");
        // A forward pass after the change is fine.
        x.matmul(w).sum().backward();
        assertThat(x.grad().data()).containsExactly(12, 7);
    }

    @Test
    void powerpropIntoReusedStorageGivesApplysValuesAndGradients() {
        Tensor v = Tensor.of(new float[] {0.5f, -1f, 2f, 0f, -0.25f}, 5).requiresGrad(true);
        Tensor fresh = Powerprop.apply(v, 3, null);
        fresh.sum().backward();
        float[] grad = v.grad().data().clone();
        v.zeroGrad();
        Tensor storage = Tensor.full(Float.NaN, 5);
        int version = storage.version();
        Tensor w = Powerprop.applyInto(v, 3, null, storage.view(Shape.of(5)));
        assertThat(w.data()).isSameAs(storage.data()).containsExactly(fresh.data());
        assertThat(storage.version()).isEqualTo(version + 1);
        assertThat(((Powerprop) w.creator()).backpropagated()).isFalse();
        w.sum().backward();
        assertThat(((Powerprop) w.creator()).backpropagated()).isTrue();
        assertThat(v.grad().data()).containsExactly(grad);
        assertThatThrownBy(() -> Powerprop.applyInto(v, 3, null, w))
                .hasMessageContaining("fresh tensor without history");
        assertThatThrownBy(() -> Powerprop.applyInto(v, 3, null, Tensor.zeros(4)))
                .hasMessageContaining("powerprop output");
    }
}
