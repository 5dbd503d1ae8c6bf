package dev.powerprop.opencl;

import static dev.powerprop.opencl.TestBackend.assertClose;
import static dev.powerprop.opencl.TestBackend.assertSameBits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.powerprop.engine.Shape;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.backend.Backend;
import dev.powerprop.engine.backend.Backends;
import dev.powerprop.engine.backend.BinaryOp;
import dev.powerprop.engine.backend.Broadcast;
import dev.powerprop.engine.backend.UnaryOp;
import dev.powerprop.engine.cpu.conv.ConvGeometry;
import org.junit.jupiter.api.Test;

/**
 * Every {@link Backend} method of the OpenCL backend against the CPU backend, on odd shapes: bit
 * for bit, except the sums of everything and of rows (another order) and convolution and pooling
 * (within float rounding).
 */
class OpenClBackendTest {
    private static final Backend CPU = Backends.cpu();

    private static Tensor rand(long seed, int... dims) {
        return Tensor.rand(seed, -2, 2, dims);
    }

    @Test
    void storageRoundTripsAndFillsOnTheDevice() {
        OpenClBackend cl = TestBackend.backend();
        assertThat(cl.isHost()).isFalse();
        assertThat(cl.name()).startsWith("opencl:").containsAnyOf("CPU)", "GPU)");
        Tensor host = rand(1, 3, 5, 7);
        Tensor d = cl.fromHost(host);
        assertThat(d.isHost()).isFalse();
        assertThat(d.backend()).isSameAs(cl);
        assertThat(d.toHost().data()).containsExactly(host.data());
        assertThat(d.reshape(15, 7).toHost().data()).containsExactly(host.data());
        assertThat(cl.zeros(Shape.of(4, 9)).toHost().data()).containsOnly(0f);
        Tensor s = cl.zeros(Shape.of());
        cl.fill(s, 2.5);
        assertThat(s.item()).isEqualTo(2.5);
        assertThatThrownBy(d::data).isInstanceOf(IllegalStateException.class).hasMessageContaining("toHost");
        assertThatThrownBy(() -> cl.unary(UnaryOp.NEG, host, d)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("to(backend)");
    }

    @Test
    void unaryAndItsBackwardMatchCpuForEveryOp() {
        OpenClBackend cl = TestBackend.backend();
        for (UnaryOp op : UnaryOp.values()) {
            Tensor x = op == UnaryOp.LOG ? Tensor.rand(2, 0.1f, 3, 7, 13) : rand(2, 7, 13);
            Tensor y = CPU.zeros(x.shape());
            CPU.unary(op, x, y);
            Tensor dy = cl.zeros(x.shape());
            cl.unary(op, cl.fromHost(x), dy);
            assertSameBits(op + " forward", dy, y);

            Tensor gradY = rand(3, 7, 13);
            Tensor gradX = rand(4, 7, 13);
            Tensor dGradX = cl.fromHost(gradX);
            CPU.unaryBackward(op, op.savesInput() ? x : null, op.savesOutput() ? y : null, gradY, gradX);
            cl.unaryBackward(op, op.savesInput() ? cl.fromHost(x) : null, op.savesOutput() ? cl.fromHost(y) : null,
                    cl.fromHost(gradY), dGradX);
            assertSameBits(op + " backward", dGradX, gradX);
        }
    }

    @Test
    void binaryBroadcastsScalarsBiasRowsAndGeneralShapes() {
        OpenClBackend cl = TestBackend.backend();
        int[][][] cases = {
            {{5, 7}, {5, 7}}, {{5, 7}, {}}, {{}, {5, 7}}, {{5, 7}, {7}}, {{3, 5, 7}, {1, 7}},
            {{5, 1}, {1, 7}}, {{5, 7}, {5, 1}}, {{3, 1, 4}, {2, 1}}, {{}, {}}, {{2, 3, 1, 5}, {3, 4, 1}},
        };
        long seed = 10;
        for (int[][] c : cases) {
            for (BinaryOp op : BinaryOp.values()) {
                Tensor a = rand(seed++, c[0]);
                Tensor b = op == BinaryOp.DIV ? Tensor.rand(seed++, 0.5f, 2, c[1]) : rand(seed++, c[1]);
                Shape shape = Broadcast.shape(a.shape(), b.shape());
                Tensor out = CPU.zeros(shape);
                CPU.binary(op, a, b, out);
                Tensor dOut = cl.zeros(shape);
                cl.binary(op, cl.fromHost(a), cl.fromHost(b), dOut);
                assertSameBits(op + " " + a.shape() + " " + b.shape(), dOut, out);
            }
        }
        // In place (out == a), as Sum's backward adds a broadcast gradient.
        Tensor a = rand(1, 6, 4);
        Tensor b = rand(2, 1, 4);
        Tensor da = cl.fromHost(a);
        cl.binary(BinaryOp.ADD, da, cl.fromHost(b), da);
        CPU.binary(BinaryOp.ADD, a, b, a);
        assertSameBits("in place", da, a);
    }

    @Test
    void axpyTransposeAndSumsMatchCpu() {
        OpenClBackend cl = TestBackend.backend();
        Tensor x = rand(5, 11, 17);
        Tensor y = rand(6, 11, 17);
        Tensor dy = cl.fromHost(y);
        cl.axpy(-0.7, cl.fromHost(x), dy);
        CPU.axpy(-0.7, x, y);
        assertSameBits("axpy", dy, y);

        Tensor t = CPU.zeros(Shape.of(17, 11));
        CPU.transpose(x, t);
        Tensor dt = cl.zeros(Shape.of(17, 11));
        cl.transpose(cl.fromHost(x), dt);
        assertSameBits("transpose", dt, t);

        for (int n : new int[] {1, 187, 100_003}) {
            Tensor big = rand(7, n);
            Tensor sum = CPU.zeros(Shape.of());
            CPU.sum(big, sum);
            Tensor dSum = cl.zeros(Shape.of());
            cl.sum(cl.fromHost(big), dSum);
            assertThat(dSum.item()).as("sum of %d", n).isCloseTo(sum.item(), within(1e-5 * n));
        }
        int[][] axes = {{1, 13, 7}, {13, 7, 1}, {3, 5, 11}, {1, 1, 1}};
        for (int[] s : axes) {
            Tensor in = rand(8, s[0], s[1], s[2]);
            Tensor out = CPU.zeros(Shape.of(s[0], s[2]));
            CPU.sumAxis(in, s[0], s[1], s[2], out);
            Tensor dOut = cl.zeros(Shape.of(s[0], s[2]));
            cl.sumAxis(cl.fromHost(in), s[0], s[1], s[2], dOut);
            // Column sums (inner > 1: bias gradients) are the CPU's bits; row sums add in another order.
            if (s[2] > 1) {
                assertSameBits("sumAxis", dOut, out);
            } else {
                assertClose("sumAxis", dOut, out, 1e-6);
            }
        }
    }

    @Test
    void gemmMatchesCpuInEveryLayoutWithOffsetsAndStrides() {
        OpenClBackend cl = TestBackend.backend();
        int m = 37, n = 29, k = 19, off = 3, pad = 2;
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                for (double beta : new double[] {0, 0.5}) {
                    int lda = (transA ? m : k) + pad;
                    int ldb = (transB ? k : n) + pad;
                    int ldc = n + pad;
                    Tensor a = rand(20, off + (transA ? k : m) * lda);
                    Tensor b = rand(21, off + (transB ? n : k) * ldb);
                    Tensor c = rand(22, off + m * ldc);
                    Tensor dc = cl.fromHost(c);
                    CPU.gemm(transA, transB, m, n, k, 1.5, a, off, lda, b, off, ldb, beta, c, off, ldc);
                    cl.gemm(transA, transB, m, n, k, 1.5, cl.fromHost(a), off, lda, cl.fromHost(b), off, ldb, beta,
                            dc, off, ldc);
                    assertSameBits("gemm " + transA + " " + transB + " beta " + beta, dc, c);
                }
            }
        }
    }

    @Test
    void lossesMatchCpu() {
        OpenClBackend cl = TestBackend.backend();
        int rows = 9, classes = 13;
        Tensor logits = Tensor.rand(30, -8, 8, rows, classes);
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = (r * 5) % classes;
        }
        Tensor probs = CPU.zeros(logits.shape());
        Tensor loss = CPU.zeros(Shape.of());
        CPU.softmaxCrossEntropy(logits, labels, probs, loss);
        Tensor dProbs = cl.zeros(logits.shape());
        Tensor dLoss = cl.zeros(Shape.of());
        cl.softmaxCrossEntropy(cl.fromHost(logits), labels, dProbs, dLoss);
        assertSameBits("probs", dProbs, probs);
        assertThat(dLoss.item()).isEqualTo(loss.item());

        Tensor grad = rand(31, rows, classes);
        Tensor dGrad = cl.fromHost(grad);
        Tensor gradLoss = Tensor.scalar(1.7f);
        CPU.softmaxCrossEntropyBackward(probs, labels, gradLoss, grad);
        cl.softmaxCrossEntropyBackward(cl.fromHost(probs), labels, cl.fromHost(gradLoss), dGrad);
        assertSameBits("cross-entropy backward", dGrad, grad);
        int[] bad = labels.clone();
        bad[4] = classes;
        assertThatThrownBy(() -> cl.softmaxCrossEntropy(cl.fromHost(logits), bad, dProbs, dLoss))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 4");

        Tensor y = CPU.zeros(logits.shape());
        CPU.logSoftmax(logits, y);
        Tensor dy = cl.zeros(logits.shape());
        cl.logSoftmax(cl.fromHost(logits), dy);
        assertSameBits("logSoftmax", dy, y);
        Tensor gradY = rand(32, rows, classes);
        Tensor gradX = rand(33, rows, classes);
        Tensor dGradX = cl.fromHost(gradX);
        CPU.logSoftmaxBackward(y, gradY, gradX);
        cl.logSoftmaxBackward(cl.fromHost(y), cl.fromHost(gradY), dGradX);
        assertSameBits("logSoftmax backward", dGradX, gradX);
    }

    @Test
    void convolutionColumnsAndPoolingMatchCpu() {
        OpenClBackend cl = TestBackend.backend();
        ConvGeometry g = new ConvGeometry(3, 7, 6, 3, 2, 2, 1);
        int image = g.inputSize();
        Tensor x = rand(40, 2, 3, 7, 6);
        Tensor cols = CPU.zeros(Shape.of(g.colsRows(), g.colsCols()));
        CPU.im2col(x, image, g, cols);
        Tensor dCols = cl.zeros(cols.shape());
        cl.im2col(cl.fromHost(x), image, g, dCols);
        assertClose("im2col", dCols, cols, 0);

        Tensor gradX = rand(41, 2, 3, 7, 6);
        Tensor dGradX = cl.fromHost(gradX);
        CPU.col2imBackward(cols, g, gradX, image);
        cl.col2imBackward(dCols, g, dGradX, image);
        assertClose("col2im", dGradX, gradX, 1e-6);

        Tensor px = rand(42, 2, 3, 9, 7);
        for (int[] p : new int[][] {{2, 2, 0}, {3, 2, 1}, {3, 1, 1}}) {
            ConvGeometry pg = new ConvGeometry(3, 9, 7, p[0], p[0], p[1], p[2]);
            Shape ys = Shape.of(2, 3, pg.outH(), pg.outW());
            Tensor y = CPU.zeros(ys);
            Object argmax = CPU.maxPool2d(px, p[0], p[1], p[2], y);
            Tensor dy = cl.zeros(ys);
            Object dArgmax = cl.maxPool2d(cl.fromHost(px), p[0], p[1], p[2], dy);
            assertClose("maxPool2d", dy, y, 0);
            Tensor gy = rand(43, 2, 3, pg.outH(), pg.outW());
            Tensor gx = rand(44, 2, 3, 9, 7);
            Tensor dgx = cl.fromHost(gx);
            CPU.maxPool2dBackward(gy, argmax, gx);
            cl.maxPool2dBackward(cl.fromHost(gy), dArgmax, dgx);
            assertClose("maxPool2d backward", dgx, gx, 1e-6);
        }
    }

    @Test
    void powerpropWithAndWithoutMaskMatchesCpu() {
        OpenClBackend cl = TestBackend.backend();
        Tensor v = rand(50, 13, 11);
        v.set(0, 0);
        Tensor mask = Tensor.zeros(13, 11);
        for (int i = 0; i < mask.numel(); i++) {
            mask.set(i, i % 3 == 0 ? 0 : 1);
        }
        for (double alpha : new double[] {1, 1.5, 2, 3.3}) {
            for (Tensor mk : new Tensor[] {null, mask}) {
                Tensor dmk = mk == null ? null : cl.fromHost(mk);
                Tensor w = CPU.zeros(v.shape());
                CPU.powerprop(alpha, v, mk, w);
                Tensor dw = cl.zeros(v.shape());
                cl.powerprop(alpha, cl.fromHost(v), dmk, dw);
                assertSameBits("powerprop " + alpha, dw, w);
                Tensor gw = rand(51, 13, 11);
                Tensor gv = rand(52, 13, 11);
                Tensor dgv = cl.fromHost(gv);
                CPU.powerpropBackward(alpha, v, mk, gw, gv, true);
                cl.powerpropBackward(alpha, cl.fromHost(v), dmk, cl.fromHost(gw), dgv, true);
                assertSameBits("powerprop backward " + alpha, dgv, gv);
                // Writing the first contribution (a stale buffer holds garbage) gives the CPU's bits too.
                Tensor written = CPU.zeros(v.shape());
                CPU.powerpropBackward(alpha, v, mk, gw, written, false);
                Tensor dWritten = cl.fromHost(rand(53, 13, 11));
                cl.powerpropBackward(alpha, cl.fromHost(v), dmk, cl.fromHost(gw), dWritten, false);
                assertSameBits("powerprop backward, written " + alpha, dWritten, written);
            }
        }
    }

    @Test
    void optimiserStepsMatchCpu() {
        OpenClBackend cl = TestBackend.backend();
        Tensor grad = rand(60, 7, 9);
        Tensor dGrad = cl.fromHost(grad);
        for (boolean nesterov : new boolean[] {false, true}) {
            Tensor p = rand(61, 7, 9);
            Tensor vel = CPU.zeros(p.shape());
            Tensor dp = cl.fromHost(p);
            Tensor dvel = cl.zeros(p.shape());
            for (int step = 0; step < 3; step++) {
                CPU.sgdStep(p, grad, vel, 0.1, 0.9, 1e-2, nesterov);
                cl.sgdStep(dp, dGrad, dvel, 0.1, 0.9, 1e-2, nesterov);
            }
            assertSameBits("sgd", dp, p);
            assertSameBits("sgd velocity", dvel, vel);
        }
        Tensor p = rand(62, 7, 9);
        Tensor dp = cl.fromHost(p);
        Tensor m = CPU.zeros(p.shape());
        Tensor v = CPU.zeros(p.shape());
        Tensor dm = cl.zeros(p.shape());
        Tensor dv = cl.zeros(p.shape());
        for (int step = 1; step <= 3; step++) {
            CPU.adamStep(p, grad, m, v, 1e-2, 0.9, 0.999, 1e-8, 1e-3, step);
            cl.adamStep(dp, dGrad, dm, dv, 1e-2, 0.9, 0.999, 1e-8, 1e-3, step);
        }
        assertSameBits("adam", dp, p);
        assertSameBits("adam m", dm, m);
        assertSameBits("adam v", dv, v);
    }
}
