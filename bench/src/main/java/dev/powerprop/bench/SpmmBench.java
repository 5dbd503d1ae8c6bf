package dev.powerprop.bench;

import dev.powerprop.engine.cpu.gemm.Gemm;
import dev.powerprop.engine.cpu.sparse.CsrSpmmReference;
import dev.powerprop.engine.sparse.CsrMatrix;
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
 * CSR SpMM {@code C[M x n] = A[M x K] * B[K x n]} against our dense GEMM on the same shapes, one
 * op = one whole product. n = 1 runs the SpMV kernel (and a GEMM with n = 1).
 *
 * <p>Effective GFLOP/s = 2 M K n / t (comparable with dense); useful GFLOP/s = 2 nnz n / t.
 * nnz is exactly round((1 - sparsity) M K) for {@code random} and {@code pruned}, and
 * 4 round((1 - sparsity) M K / 4) for {@code fours}, so both follow from the parameters.
 *
 * <p>Sources: {@code random} is a uniform mask; {@code pruned} imitates the row imbalance of a
 * magnitude-pruned powerprop layer (see {@link #prunedMask}); {@code fours} is the mask of block
 * pruning ({@code powerprop prune --block 4}): 4 x 1 blocks, uniformly at random
 * ({@link #foursMask}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class SpmmBench {
    @Param({"300x784", "1024x1024"})
    public String shape;

    @Param({"1", "16", "64", "256"})
    public int n;

    @Param({"0.5", "0.6", "0.8", "0.9", "0.95", "0.98", "0.99"})
    public double sparsity;

    @Param({"random", "pruned", "fours"})
    public String source;

    @Param({"1", "2"})
    public int threads;

    private int m;
    private int k;
    private CsrMatrix csr;
    private float[] dense;
    private float[] b;
    private float[] c;

    @Setup
    public void setup() {
        String[] mk = shape.split("x");
        m = Integer.parseInt(mk[0]);
        k = Integer.parseInt(mk[1]);
        SplittableRandom rng = new SplittableRandom(42);
        boolean fours = source.equals("fours");
        int nnz = fours ? 4 * (int) Math.round((1 - sparsity) * m * k / 4) : (int) Math.round((1 - sparsity) * m * k);
        float[] mask = switch (source) {
            case "random" -> randomMask(rng, m, k, nnz);
            case "pruned" -> prunedMask(rng, m, k, nnz);
            case "fours" -> foursMask(rng, m, k, nnz / 4);
            default -> throw new IllegalArgumentException("source must be random, pruned or fours, got " + source);
        };
        float[] w = new float[m * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        csr = CsrMatrix.fromDense(w, mask, m, k);
        if (csr.nnz() != nnz) {
            throw new IllegalStateException("generator made " + csr.nnz() + " nonzeros, wanted " + nnz);
        }
        dense = csr.toDense();
        b = new float[k * n];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        c = new float[m * n];
        checkAgainstReference();
    }

    @Benchmark
    public float[] spmm() {
        csr.multiply(b, n, c, null, false, threads);
        return c;
    }

    @Benchmark
    public float[] dense() {
        Gemm.gemm(false, false, m, n, k, 1f, dense, 0, k, b, 0, n, 0f, c, 0, n, threads);
        return c;
    }

    /** A benchmark that cannot measure a wrong answer: both paths must match the CSR oracle. */
    private void checkAgainstReference() {
        double[] expected = new double[m * n];
        CsrSpmmReference.spmm(m, csr.rowPtr(), csr.colIdx(), toDouble(csr.values()), toDouble(b), n,
                expected, null, false);
        // |a|, |b| <= 1: a row sums at most k terms of magnitude <= 1, float error <= k * 2^-24 * k.
        double tolerance = (double) k * k * 0x1p-24;
        for (String path : new String[] {"spmm", "dense"}) {
            java.util.Arrays.fill(c, Float.NaN);
            float[] got = path.equals("spmm") ? spmm() : dense();
            for (int i = 0; i < expected.length; i++) {
                if (!(Math.abs(got[i] - expected[i]) <= tolerance)) {
                    throw new IllegalStateException(path + " " + shape + " n=" + n + " sparsity=" + sparsity
                            + " " + source + " threads=" + threads + ": C[" + i + "] = " + got[i]
                            + " but the reference gives " + expected[i]);
                }
            }
        }
    }

    /** Exactly {@code nnz} positions, uniformly at random (a partial Fisher-Yates shuffle). */
    static float[] randomMask(SplittableRandom rng, int m, int k, int nnz) {
        int[] cells = new int[m * k];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = i;
        }
        float[] mask = new float[m * k];
        for (int i = 0; i < nnz; i++) {
            int j = i + rng.nextInt(cells.length - i);
            int t = cells[i];
            cells[i] = cells[j];
            cells[j] = t;
            mask[cells[i]] = 1;
        }
        return mask;
    }

    /**
     * Exactly {@code blocks} blocks of 4 rows x 1 column, uniformly at random among the
     * {@code m / 4 x k} of them (m a multiple of 4): the rows come in fours that share their
     * columns, as after {@code powerprop prune --block 4}.
     */
    static float[] foursMask(SplittableRandom rng, int m, int k, int blocks) {
        if (m % 4 != 0) {
            throw new IllegalArgumentException("source fours needs M a multiple of 4, got " + m);
        }
        float[] blockMask = randomMask(rng, m / 4, k, blocks);
        float[] mask = new float[m * k];
        for (int g = 0; g < m / 4; g++) {
            for (int r = 4 * g; r < 4 * g + 4; r++) {
                System.arraycopy(blockMask, g * k, mask, r * k, k);
            }
        }
        return mask;
    }

    /**
     * A mask with the row imbalance of a magnitude-pruned powerprop layer, exactly {@code nnz}
     * entries.
     *
     * <p>Calibration (bench/RESULTS.md, "Sparse"): an alpha = 3 MLP (784-300-100-10) trained for
     * 3000 steps with {@code ./powerprop train} and pruned layerwise with {@code ./powerprop prune
     * --keep P}; per-row densities of fc1.mask and fc2.mask read with SafeTensors. Their
     * coefficient of variation is the binomial one of a uniform mask plus an extra spread that
     * grows with sparsity: about 0.04 at keep 0.5, 0.15-0.25 at 0.1, 0.15-0.55 at 0.05 and
     * 0.7-1.6 at 0.01, where 15-50% of the rows are empty. Here each row's expected density is
     * d * w_r with w_r log-normal of coefficient of variation {@code 0.02 * d^-0.9} (0.04 at
     * d = 0.5, 0.16 at 0.1, 0.30 at 0.05, 1.26 at 0.01), the count of each row is binomial
     * around that, counts are nudged at random rows to the exact total, and each row's columns
     * are uniform (fc1's column densities measured binomial too).
     */
    static float[] prunedMask(SplittableRandom rng, int m, int k, int nnz) {
        double d = (double) nnz / ((long) m * k);
        double cv = 0.02 * Math.pow(d, -0.9);
        double sigma = Math.sqrt(Math.log(1 + cv * cv));
        double[] w = new double[m];
        double sum = 0;
        for (int r = 0; r < m; r++) {
            w[r] = Math.exp(sigma * gaussian(rng) - sigma * sigma / 2);
            sum += w[r];
        }
        int[] count = new int[m];
        int total = 0;
        for (int r = 0; r < m; r++) {
            double p = Math.min(1, d * w[r] * m / sum);
            for (int j = 0; j < k; j++) {
                if (rng.nextDouble() < p) {
                    count[r]++;
                }
            }
            total += count[r];
        }
        while (total != nnz) {
            int r = rng.nextInt(m);
            if (total > nnz && count[r] > 0) {
                count[r]--;
                total--;
            } else if (total < nnz && count[r] < k) {
                count[r]++;
                total++;
            }
        }
        float[] mask = new float[m * k];
        int[] cols = new int[k];
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < k; j++) {
                cols[j] = j;
            }
            for (int i = 0; i < count[r]; i++) {
                int j = i + rng.nextInt(k - i);
                int t = cols[i];
                cols[i] = cols[j];
                cols[j] = t;
                mask[r * k + cols[i]] = 1;
            }
        }
        return mask;
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller; 1 - u keeps the logarithm's argument in (0, 1].
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
