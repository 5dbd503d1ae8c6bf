package dev.powerprop.engine.cpu.reduce;

/** The sums of {@link Reductions} in double precision as plain loops: the oracle, and the engine's float64 path. */
public final class ReductionsReference {
    private ReductionsReference() {}

    /** The sum of {@code x[off], ..., x[off + n - 1]}. */
    public static double sum(double[] x, int off, int n) {
        Reductions.checkRange("x", x.length, off, n);
        double s = 0;
        for (int i = off; i < off + n; i++) {
            s += x[i];
        }
        return s;
    }

    /** {@code out[o*inner + i] = sum_j x[(o*len + j)*inner + i]}; overwrites out. */
    public static void sumAxis(double[] x, int outer, int len, int inner, double[] out) {
        Reductions.checkAxisShape(x.length, outer, len, inner, out.length);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double s = 0;
                for (int j = 0; j < len; j++) {
                    s += x[(o * len + j) * inner + i];
                }
                out[o * inner + i] = s;
            }
        }
    }
}
