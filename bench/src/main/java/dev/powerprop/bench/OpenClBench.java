package dev.powerprop.bench;

import dev.powerprop.engine.cpu.gemm.Gemm;
import dev.powerprop.engine.cpu.powerprop.PowerpropKernel;
import dev.powerprop.opencl.ClGemm;
import dev.powerprop.opencl.ClPowerprop;
import dev.powerprop.opencl.ClSpmm;
import dev.powerprop.opencl.DeviceBuffer;
import dev.powerprop.opencl.OpenClContext;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The OpenCL kernels on device-resident buffers (kernels-opencl, on the device
 * {@link OpenClContext#createDefault()} picks: the first GPU, else the first device). One op is
 * one kernel launch finished with clFinish, so launch overhead is included, as in
 * bench/clblast/sgemm_bench.c which times CLBlast the same way.
 *
 * <ul>
 *   <li>{@code gemm}: one n x n x n product, GFLOP/s = 2 n^3 / time;
 *   <li>{@code spmm}: CSR [n x n] at 90% sparsity times dense [n x 256]; effective GFLOP/s
 *       = 2 n^2 256 / time, useful = 2 nnz 256 / time;
 *   <li>{@code powerprop}: the fused forward w = v |v|^(alpha-1), alpha 2, over n^2 weights.
 * </ul>
 * {@code @Setup} checks each result against the engine's CPU kernels: a benchmark that cannot
 * measure a wrong answer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class OpenClBench {
    /** Columns of the dense operand of spmm: a batch of 256. */
    private static final int BATCH = 256;
    private static final float SPARSITY = 0.9f;

    @Param({"512", "1024"})
    public int n;

    private OpenClContext cx;
    private DeviceBuffer a;
    private DeviceBuffer b;
    private DeviceBuffer c;
    private DeviceBuffer rowPtr;
    private DeviceBuffer colIdx;
    private DeviceBuffer values;
    private DeviceBuffer dense;
    private DeviceBuffer spmmOut;
    private DeviceBuffer w;

    @Setup
    public void setup() {
        cx = OpenClContext.createDefault();
        Random rnd = new Random(1);
        float[] ha = random(rnd, n * n);
        float[] hb = random(rnd, n * n);
        a = cx.upload(ha);
        b = cx.upload(hb);
        c = cx.floats(n * n);

        // CSR of a random n x n matrix at SPARSITY; the dense operand is n x BATCH.
        float[] masked = new float[n * n];
        int[] ptr = new int[n + 1];
        int nnz = 0;
        for (int i = 0; i < n * n; i++) {
            if (rnd.nextFloat() >= SPARSITY) {
                masked[i] = ha[i];
                nnz++;
            }
        }
        int[] cols = new int[nnz];
        float[] vals = new float[nnz];
        for (int r = 0, q = 0; r < n; r++) {
            for (int j = 0; j < n; j++) {
                if (masked[r * n + j] != 0) {
                    cols[q] = j;
                    vals[q++] = masked[r * n + j];
                }
            }
            ptr[r + 1] = q;
        }
        float[] hd = random(rnd, n * BATCH);
        rowPtr = cx.upload(ptr);
        colIdx = cx.upload(cols);
        values = cx.upload(vals);
        dense = cx.upload(hd);
        spmmOut = cx.floats(n * BATCH);
        w = cx.floats(n * n);

        checkAgainstCpu(ha, hb, masked, hd);
    }

    @Benchmark
    public void gemm() {
        ClGemm.gemm(cx, false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
        cx.finish();
    }

    @Benchmark
    public void spmm() {
        ClSpmm.spmm(cx, n, BATCH, n, rowPtr, colIdx, values, dense, 0, BATCH, spmmOut, 0, BATCH);
        cx.finish();
    }

    @Benchmark
    public void powerprop() {
        ClPowerprop.forward(cx, 2f, a, null, w, n * n);
        cx.finish();
    }

    @TearDown
    public void tearDown() {
        for (DeviceBuffer buffer : new DeviceBuffer[] {a, b, c, rowPtr, colIdx, values, dense, spmmOut, w}) {
            buffer.close();
        }
        cx.close();
    }

    private void checkAgainstCpu(float[] ha, float[] hb, float[] masked, float[] hd) {
        gemm();
        float[] expected = new float[n * n];
        Gemm.gemm(false, false, n, n, n, 1f, ha, 0, n, hb, 0, n, 0f, expected, 0, n);
        requireClose("gemm", c.read(new float[n * n]), expected, 1e-3f);

        spmm();
        float[] expectedSpmm = new float[n * BATCH];
        Gemm.gemm(false, false, n, BATCH, n, 1f, masked, 0, n, hd, 0, BATCH, 0f, expectedSpmm, 0, BATCH);
        requireClose("spmm", spmmOut.read(new float[n * BATCH]), expectedSpmm, 1e-3f);

        powerprop();
        float[] expectedW = new float[n * n];
        PowerpropKernel.forward(2f, ha, null, expectedW, n * n);
        requireClose("powerprop", w.read(new float[n * n]), expectedW, 1e-6f);
    }

    private static void requireClose(String what, float[] actual, float[] expected, float tolerance) {
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= tolerance * (1 + Math.abs(expected[i])))) {
                throw new IllegalStateException(what + " on OpenCL differs from the CPU at " + i + ": "
                        + actual[i] + " vs " + expected[i]);
            }
        }
    }

    private static float[] random(Random rnd, int count) {
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        return x;
    }
}
