package dev.powerprop.bench;

import dev.powerprop.engine.backend.BinaryOp;
import dev.powerprop.engine.backend.UnaryOp;
import dev.powerprop.engine.cpu.Parallel;
import dev.powerprop.engine.cpu.elementwise.Elementwise;
import dev.powerprop.engine.cpu.optim.AdamKernel;
import dev.powerprop.engine.cpu.optim.SgdKernel;
import dev.powerprop.engine.cpu.powerprop.PowerpropKernel;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The elementwise passes of a training step on the MLP's parameter counts (layer 3: 1,000
 * weights, layer 2: 30,000, layer 1: 235,200) on 1 or 2 threads: whether splitting over the
 * thread team pays at that length, and where the kernels' {@code PARALLEL_MIN_ELEMENTS} stand.
 * One op = the powerprop forward and backward (alpha 2, or 1.3 for the exp/log lanes), one SGD
 * step with momentum, or one Adam step; or, for {@code activations}, the passes a layer's
 * activations get in a step (bias add, ReLU, its backward into a zeroed gradient, the bias add's
 * gradient added on), with n = 76,800 for layer 1 at batch 256.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class ElementwiseSplitBench {
    @Param({"powerprop2", "powerprop1.3", "sgd", "adam", "activations"})
    public String kernel;

    @Param({"1000", "30000", "76800", "235200"})
    public int n;

    @Param({"1", "2"})
    public int threads;

    private float[] v;
    private float[] w;
    private float[] grad;
    private float[] state;
    private float[] state2;

    @Setup
    public void setup() {
        SplittableRandom rng = new SplittableRandom(0);
        v = new float[n];
        grad = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian() * 0.05f;
            grad[i] = (float) rng.nextGaussian() * 1e-3f;
        }
        w = new float[n];
        state = new float[n];
        state2 = new float[n];
        // A benchmark that cannot measure a wrong answer: the split pass has the bits of one thread.
        float[] vOne = v.clone();
        float[] wOne = new float[n];
        float[] stateOne = new float[n];
        float[] state2One = new float[n];
        pass(vOne, wOne, stateOne, state2One, 1);
        float[] vHere = v.clone();
        float[] wHere = new float[n];
        float[] stateHere = new float[n];
        float[] state2Here = new float[n];
        pass(vHere, wHere, stateHere, state2Here, threads);
        if (!Arrays.equals(vOne, vHere) || !Arrays.equals(wOne, wHere) || !Arrays.equals(stateOne, stateHere)
                || !Arrays.equals(state2One, state2Here)) {
            throw new IllegalStateException(kernel + " on " + threads + " threads differs from 1 thread, n " + n);
        }
    }

    private void pass(float[] param, float[] out, float[] s, float[] s2, int t) {
        switch (kernel) {
            case "powerprop2" -> {
                PowerpropKernel.forward(2f, param, null, out, n, t);
                PowerpropKernel.backward(2f, param, null, grad, s, n, false, t);
            }
            case "powerprop1.3" -> {
                PowerpropKernel.forward(1.3f, param, null, out, n, t);
                PowerpropKernel.backward(1.3f, param, null, grad, s, n, false, t);
            }
            case "sgd" -> SgdKernel.step(param, grad, s, n, 0.1f, 0.9f, 0f, false, t);
            case "adam" -> AdamKernel.step(param, grad, s, s2, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 1, t);
            case "activations" -> activations(param, out, s, s2, t);
            default -> throw new IllegalArgumentException("unknown kernel " + kernel);
        }
    }

    /** y = relu(x + bias) into out; then s = dL/d(x + bias) and s2 += s, from dL/dy = grad. */
    private void activations(float[] x, float[] out, float[] s, float[] s2, int t) {
        int row = n % 300 == 0 ? 300 : 100;
        Parallel.limitCurrentThread(t);
        try {
            Elementwise.binaryPeriodic(BinaryOp.ADD, x, n, grad, row, s2, n);
            Elementwise.unary(UnaryOp.RELU, s2, out, n);
            Elementwise.fill(s, 0f, n);
            Elementwise.unaryBackward(UnaryOp.RELU, null, out, grad, s, n);
            Elementwise.axpy(1f, s, s2, n);
        } finally {
            Parallel.limitCurrentThread(null);
        }
    }

    @Benchmark
    public float[] run() {
        pass(v, w, state, state2, threads);
        return v;
    }
}
