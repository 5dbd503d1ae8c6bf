package dev.powerprop.engine.ops;

import static dev.powerprop.engine.GradCheck.awayFromZero;
import static dev.powerprop.engine.GradCheck.check;
import static dev.powerprop.engine.GradCheck.uniform;

import dev.powerprop.engine.DType;
import dev.powerprop.engine.Shape;
import dev.powerprop.engine.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every differentiable op's backward against central differences, in double precision. */
class GradientCheckTest {

    @Test
    void addSubMulDivOfEqualShapes() {
        Tensor a = uniform(1, -2, 2, 3, 5);
        Tensor b = awayFromZero(2, 0.5, 2, 3, 5);
        check(in -> in[0].add(in[1]), a, b);
        check(in -> in[0].sub(in[1]), a, b);
        check(in -> in[0].mul(in[1]), a, b);
        check(in -> in[0].div(in[1]), a, b);
    }

    @Test
    void binaryOpsBroadcastARowVectorOverAMatrix() {
        Tensor m = uniform(3, -2, 2, 4, 3);
        Tensor row = awayFromZero(4, 0.5, 2, 3);
        check(in -> in[0].add(in[1]), m, row);
        check(in -> in[0].sub(in[1]), m, row);
        check(in -> in[0].mul(in[1]), m, row);
        check(in -> in[0].div(in[1]), m, row);
        check(in -> in[1].sub(in[0]), m, row);
        check(in -> in[1].div(in[0]), awayFromZero(5, 0.5, 2, 4, 3), row);
    }

    @Test
    void binaryOpsBroadcastScalars() {
        Tensor m = awayFromZero(6, 0.5, 2, 2, 3);
        Tensor s = Tensor.ofDoubles(new double[] {1.7});
        check(in -> in[0].add(in[1]), m, s);
        check(in -> in[0].mul(in[1]), m, s);
        check(in -> in[1].sub(in[0]), m, s);
        check(in -> in[1].div(in[0]), m, s);
    }

    @Test
    void binaryOpsBroadcastAColumnAndAMiddleAxis() {
        Tensor m = uniform(7, -2, 2, 3, 4);
        Tensor col = awayFromZero(8, 0.5, 2, 3, 1);
        check(in -> in[0].mul(in[1]), m, col);
        check(in -> in[0].div(in[1]), m, col);
        Tensor cube = uniform(9, -2, 2, 2, 3, 4);
        Tensor mid = uniform(10, -2, 2, 2, 1, 4);
        check(in -> in[0].add(in[1]).mul(in[1]), cube, mid);
        // Both operands broadcast: [3,1] with [1,4] gives [3,4].
        check(in -> in[0].mul(in[1]), uniform(11, -1, 1, 3, 1), uniform(12, -1, 1, 1, 4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"neg", "relu", "exp", "log", "tanh", "sigmoid"})
    void unaryOps(String op) {
        Tensor x = switch (op) {
            case "log" -> uniform(13, 0.2, 3, 4, 5);
            case "relu" -> awayFromZero(14, 0.1, 2, 4, 5); // no element within h of the kink
            default -> uniform(15, -2, 2, 4, 5);
        };
        check(in -> switch (op) {
            case "neg" -> in[0].neg();
            case "relu" -> in[0].relu();
            case "exp" -> in[0].exp();
            case "log" -> in[0].log();
            case "tanh" -> in[0].tanh();
            default -> in[0].sigmoid();
        }, x);
    }

    @ParameterizedTest
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void matmulInEveryLayout(boolean transA, boolean transB) {
        int m = 3;
        int n = 4;
        int k = 5;
        Tensor a = transA ? uniform(16, -1, 1, k, m) : uniform(16, -1, 1, m, k);
        Tensor b = transB ? uniform(17, -1, 1, n, k) : uniform(17, -1, 1, k, n);
        check(in -> MatMul.apply(in[0], in[1], transA, transB), a, b);
    }

    @Test
    void sumAndMeanOverAllAndAlongEachAxis() {
        Tensor x = uniform(18, -1, 1, 2, 3, 4);
        check(in -> in[0].sum(), x);
        check(in -> in[0].mean(), x);
        for (int axis = 0; axis < 3; axis++) {
            int a = axis;
            check(in -> in[0].sum(a), x);
            check(in -> in[0].mean(a), x);
            check(in -> in[0].sum(a, true), x);
        }
    }

    @Test
    void reshapeAndTranspose() {
        Tensor x = uniform(19, -1, 1, 3, 4);
        check(in -> in[0].reshape(2, 6).mul(in[0].reshape(2, 6)), x);
        check(in -> in[0].transpose(), x);
    }

    @Test
    void logSoftmaxAlongRows() {
        check(in -> in[0].logSoftmax(), uniform(20, -3, 3, 4, 7));
    }

    @Test
    void softmaxCrossEntropyWithIntegerLabels() {
        int[] labels = {0, 6, 3, 3};
        check(in -> SoftmaxCrossEntropy.apply(in[0], labels), uniform(21, -3, 3, 4, 7));
    }

    @ParameterizedTest
    @CsvSource({"1,0,true", "1,1,true", "2,0,false", "2,1,true", "3,2,true"})
    void conv2dWithStrideAndPadding(int stride, int pad, boolean withBias) {
        Tensor x = uniform(22, -1, 1, 2, 3, 6, 5);
        Tensor w = uniform(23, -1, 1, 4, 3, 3, 2);
        if (withBias) {
            check(in -> Conv2d.apply(in[0], in[1], in[2], stride, pad), x, w, uniform(24, -1, 1, 4));
        } else {
            check(in -> Conv2d.apply(in[0], in[1], null, stride, pad), x, w);
        }
    }

    @ParameterizedTest
    @CsvSource({"2,2,0", "3,2,1", "2,1,0"})
    void maxPool2d(int k, int stride, int pad) {
        // A permutation of well separated values: no two elements of a window are within h.
        Tensor x = Tensor.zeros(DType.F64, Shape.of(2, 2, 5, 6));
        int n = x.numel();
        for (int i = 0; i < n; i++) {
            x.set(i, ((i * 37) % n) * 0.01 - 1);
        }
        check(in -> MaxPool2d.apply(in[0], k, stride, pad), x);
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.0, 1.5, 2.0, 3.0, 4.5})
    void powerpropWithAndWithoutMask(double alpha) {
        Tensor v = awayFromZero(25, 0.1, 1.5, 4, 6);
        check(in -> Powerprop.apply(in[0], alpha, null), v);
        Tensor mask = Tensor.zeros(DType.F64, v.shape());
        for (int i = 0; i < mask.numel(); i++) {
            mask.set(i, i % 3 == 0 ? 0 : 1);
        }
        check(in -> Powerprop.apply(in[0], alpha, mask), v);
    }

    @Test
    void fanOutAccumulatesBothPaths() {
        // y = x*x + x: dy/dx = 2x + 1, reached through two uses of x.
        check(in -> in[0].mul(in[0]).add(in[0]), uniform(26, -1, 1, 3, 3));
    }

    @Test
    void aSmallPowerpropMlpEndToEnd() {
        int[] labels = {1, 0, 2};
        Tensor x = uniform(27, 0, 1, 3, 5);
        Tensor v1 = awayFromZero(28, 0.2, 1, 4, 5);
        Tensor b1 = uniform(29, -0.1, 0.1, 4);
        Tensor v2 = awayFromZero(30, 0.2, 1, 3, 4);
        check(in -> {
            Tensor h = MatMul.apply(in[0], Powerprop.apply(in[1], 2.0, null), false, true).add(in[2]).tanh();
            Tensor logits = MatMul.apply(h, Powerprop.apply(in[3], 3.0, null), false, true);
            return SoftmaxCrossEntropy.apply(logits, labels);
        }, x, v1, b1, v2);
    }
}
