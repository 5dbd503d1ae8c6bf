package dev.powerprop.bench;

import dev.powerprop.engine.cpu.powerprop.PowerpropKernel;
import dev.powerprop.engine.cpu.powerprop.PowerpropReference;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The fused powerprop forward + backward over 1M floats against a {@code Math.pow} loop (what
 * a naive implementation does) and against a plain memory copy of the same traffic (the floor
 * for a memory-bound pass). One invocation = one forward and one backward, as a training step does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class PowerpropBench {
    private static final int N = 1 << 20;

    @Param({"1", "1.5", "2", "3"})
    public String alpha;

    private float a;
    private float[] v;
    private float[] mask;
    private float[] w;
    private float[] gradW;
    private float[] gradV;
    /**
     * The fused unmasked pass moves 6 arrays of N floats: forward reads v and writes w, backward
     * reads v, gradW and gradV and writes gradV, so 4 reads + 2 writes = 24 MiB. A copy of 3N
     * floats reads 12 MiB and writes 12 MiB: the same 24 MiB.
     */
    private float[] copySource;
    private float[] copyTarget;

    @Setup(Level.Trial)
    public void setUp() {
        a = Float.parseFloat(alpha);
        Random random = new Random(0);
        v = new float[N];
        mask = new float[N];
        w = new float[N];
        gradW = new float[N];
        gradV = new float[N];
        for (int i = 0; i < N; i++) {
            v[i] = i % 17 == 0 ? 0f : (float) random.nextGaussian() * 0.1f;
            mask[i] = random.nextInt(4) == 0 ? 0f : 1f;
            gradW[i] = (float) random.nextGaussian();
        }
        copySource = new float[3 * N];
        copyTarget = new float[3 * N];
        checkAgainstReference(null);
        checkAgainstReference(mask);
    }

    /** A benchmark that cannot measure a wrong answer: the fused kernel must match the double oracle. */
    private void checkAgainstReference(float[] m) {
        float[] gv = new float[N];
        PowerpropKernel.forward(a, v, m, w, N);
        PowerpropKernel.backward(a, v, m, gradW, gv, N);
        double[] vd = new double[N];
        double[] gwd = new double[N];
        double[] md = m == null ? null : new double[N];
        for (int i = 0; i < N; i++) {
            vd[i] = v[i];
            gwd[i] = gradW[i];
            if (m != null) {
                md[i] = m[i];
            }
        }
        double[] wd = new double[N];
        double[] gvd = new double[N];
        PowerpropReference.forward(a, vd, md, wd, N);
        PowerpropReference.backward(a, vd, md, gwd, gvd, N);
        for (int i = 0; i < N; i++) {
            if (Math.abs(w[i] - wd[i]) > 1e-6 * Math.abs(wd[i]) || Math.abs(gv[i] - gvd[i]) > 1e-6 * Math.abs(gvd[i])) {
                throw new IllegalStateException("fused kernel disagrees with the reference at " + i + " (alpha "
                        + alpha + ", masked " + (m != null) + "): w " + w[i] + " vs " + wd[i]
                        + ", gradV " + gv[i] + " vs " + gvd[i]);
            }
        }
    }

    @Benchmark
    public void fused(Blackhole bh) {
        PowerpropKernel.forward(a, v, null, w, N);
        PowerpropKernel.backward(a, v, null, gradW, gradV, N);
        bh.consume(w);
        bh.consume(gradV);
    }

    /** As {@link #fused} with a mask, which adds 2 reads of N floats (32 MiB moved instead of 24). */
    @Benchmark
    public void fusedMasked(Blackhole bh) {
        PowerpropKernel.forward(a, v, mask, w, N);
        PowerpropKernel.backward(a, v, mask, gradW, gradV, N);
        bh.consume(w);
        bh.consume(gradV);
    }

    /** The same forward and backward written the obvious way with {@code Math.pow}. */
    @Benchmark
    public void mathPow(Blackhole bh) {
        double al = a;
        for (int i = 0; i < N; i++) {
            w[i] = (float) (Math.signum(v[i]) * Math.pow(Math.abs(v[i]), al));
        }
        for (int i = 0; i < N; i++) {
            gradV[i] += (float) (al * Math.pow(Math.abs(v[i]), al - 1) * gradW[i]);
        }
        bh.consume(w);
        bh.consume(gradV);
    }

    /** The memory floor: 24 MiB moved, the traffic of one unmasked fused forward + backward. */
    @Benchmark
    public void copy(Blackhole bh) {
        System.arraycopy(copySource, 0, copyTarget, 0, 3 * N);
        bh.consume(copyTarget);
    }
}
