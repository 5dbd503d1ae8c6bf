package dev.powerprop.bench;

import dev.powerprop.engine.cpu.gemm.Gemm;
import dev.powerprop.engine.cpu.gemm.GemmReference;
import java.util.Random;
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
 * Single-precision GEMM, one op = one whole product {@code C = op(A) * op(B)}. GFLOP/s is
 * {@code 2 * m * n * k / time}. Shapes are "MxNxK": a big square and the products an MLP on
 * 784-300 layers does with batches of 60 and 256 (forward, and the two backward products).
 * Layout: N or T for A and for B, as stored (T = stored transposed).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class GemmBench {
    @Param({"1024x1024x1024", "60x300x784", "784x300x60", "60x784x300",
            "256x300x784", "784x300x256", "256x784x300"})
    public String shape;

    @Param({"NN", "NT", "TN"})
    public String layout;

    @Param({"1", "2"})
    public int threads;

    private int m;
    private int n;
    private int k;
    private boolean transA;
    private boolean transB;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void setup() {
        String[] mnk = shape.split("x");
        m = Integer.parseInt(mnk[0]);
        n = Integer.parseInt(mnk[1]);
        k = Integer.parseInt(mnk[2]);
        transA = layout.charAt(0) == 'T';
        transB = layout.charAt(1) == 'T';
        Random rnd = new Random(1);
        a = random(rnd, m * k);
        b = random(rnd, k * n);
        c = new float[m * n];
        checkAgainstReference();
    }

    @Benchmark
    public float[] gemm() {
        Gemm.gemm(transA, transB, m, n, k, 1f, a, 0, lda(), b, 0, ldb(), 0f, c, 0, n, threads);
        return c;
    }

    private int lda() {
        return transA ? m : k;
    }

    private int ldb() {
        return transB ? k : n;
    }

    /** A benchmark that cannot measure a wrong answer: the fast path must match the oracle. */
    private void checkAgainstReference() {
        gemm();
        double[] expected = new double[m * n];
        GemmReference.gemm(transA, transB, m, n, k, 1, toDouble(a), 0, lda(), toDouble(b), 0, ldb(),
                0, expected, 0, n);
        // Inputs are in [-1, 1), so sum |a| |b| <= k; float summation errs by at most k * 2^-24 of it.
        double tolerance = (double) k * k * 0x1p-24;
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(c[i] - expected[i]) <= tolerance)) {
                throw new IllegalStateException("GEMM " + shape + " " + layout + " threads=" + threads
                        + ": C[" + i + "] = " + c[i] + " but the reference gives " + expected[i]);
            }
        }
    }

    private static float[] random(Random rnd, int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        return x;
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
