package dev.powerprop.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.powerprop.engine.DType;
import dev.powerprop.engine.GradCheck;
import dev.powerprop.engine.Tensor;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The float32 path (fast kernels) gives the float64 path's values and gradients within float
 * rounding, through every op: the wiring of the CPU backend is checked as a whole, beside the
 * per-kernel property tests.
 */
class Float32MatchesFloat64Test {

    private static void assertSameOnBothPaths(Function<Tensor[], Tensor> f, Tensor... f64Inputs) {
        Tensor[] f32Inputs = new Tensor[f64Inputs.length];
        for (int i = 0; i < f64Inputs.length; i++) {
            f32Inputs[i] = f64Inputs[i].to(DType.F32).requiresGrad(true);
            f64Inputs[i].requiresGrad(true).zeroGrad();
        }
        Tensor out64 = f.apply(f64Inputs);
        Tensor out32 = f.apply(f32Inputs);
        assertThat(out32.shape()).isEqualTo(out64.shape());
        assertClose("output", out32, out64);
        Tensor weights = GradCheck.uniform(99, -1, 1, out64.shape().dims());
        out64.mul(weights).sum().backward();
        out32.mul(weights.to(DType.F32)).sum().backward();
        for (int i = 0; i < f64Inputs.length; i++) {
            assertClose("gradient of input " + i, f32Inputs[i].grad(), f64Inputs[i].grad());
        }
    }

    private static void assertClose(String what, Tensor f32, Tensor f64) {
        double scale = 1e-30;
        for (int i = 0; i < f64.numel(); i++) {
            scale = Math.max(scale, Math.abs(f64.get(i)));
        }
        for (int i = 0; i < f64.numel(); i++) {
            assertThat(f32.get(i)).as("%s[%d]", what, i).isCloseTo(f64.get(i), within(2e-5 * scale + 1e-6));
        }
    }

    @Test
    void elementwiseAndBroadcastingOps() {
        Tensor a = GradCheck.uniform(1, -2, 2, 37, 19);
        Tensor row = GradCheck.awayFromZero(2, 0.5, 2, 19);
        Tensor col = GradCheck.awayFromZero(3, 0.5, 2, 37, 1);
        assertSameOnBothPaths(in -> in[0].add(in[1]).mul(in[0]).sub(in[2]).div(in[1]), a, row, col);
        assertSameOnBothPaths(in -> in[0].tanh().add(in[0].sigmoid()).add(in[0].relu()).add(in[0].exp().neg()), a);
        assertSameOnBothPaths(in -> in[0].mul(in[0]).add(1.0).log(), a);
    }

    @Test
    void reductionsAndLayout() {
        Tensor x = GradCheck.uniform(4, -1, 1, 5, 33, 17);
        assertSameOnBothPaths(in -> in[0].sum(0).sum(0).add(in[0].mean(1).sum(1, true)), x);
        assertSameOnBothPaths(in -> in[0].reshape(165, 17).transpose().logSoftmax(), x);
    }

    @Test
    void matmulLayoutsAndLoss() {
        Tensor a = GradCheck.uniform(5, -1, 1, 61, 67);
        Tensor b = GradCheck.uniform(6, -1, 1, 67, 29);
        Tensor bt = GradCheck.uniform(7, -1, 1, 29, 67);
        int[] labels = new int[61];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i * 7) % 29;
        }
        assertSameOnBothPaths(in -> SoftmaxCrossEntropy.apply(MatMul.apply(in[0], in[1], false, false), labels), a, b);
        assertSameOnBothPaths(in -> MatMul.apply(in[0], in[1], false, true), a, bt);
        assertSameOnBothPaths(in -> MatMul.apply(in[0], in[1], true, false), a.reshape(67, 61).detach(), b);
    }

    @Test
    void convolutionPoolingAndPowerprop() {
        Tensor x = GradCheck.uniform(8, -1, 1, 3, 2, 11, 9);
        Tensor w = GradCheck.awayFromZero(9, 0.1, 1, 5, 2, 3, 3);
        Tensor bias = GradCheck.uniform(10, -1, 1, 5);
        assertSameOnBothPaths(in -> MaxPool2d.apply(
                Conv2d.apply(in[0], Powerprop.apply(in[1], 2.0, null), in[2], 1, 1), 2, 2, 0), x, w, bias);
        assertSameOnBothPaths(in -> Powerprop.apply(in[0], 1.5, null), GradCheck.awayFromZero(11, 0.01, 2, 1031));
    }
}
