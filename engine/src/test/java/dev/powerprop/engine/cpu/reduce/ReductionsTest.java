package dev.powerprop.engine.cpu.reduce;

import static dev.powerprop.engine.testing.TestArrays.SIZES;
import static dev.powerprop.engine.testing.TestArrays.assertClose;
import static dev.powerprop.engine.testing.TestArrays.awkward;
import static dev.powerprop.engine.testing.TestArrays.toDouble;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.powerprop.engine.cpu.VectorSupport;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReductionsTest {
    private static final double EPS = Math.ulp(1f); // 2^-23

    @Test
    void sumMatchesTheDoubleOracleWithinTheDocumentedBoundForEveryPathAndOffset() {
        Random random = new Random(5);
        for (int n : SIZES) {
            for (int off : new int[] {0, 3}) {
                float[] x = awkward(random, off + n, 1f, 1e6f);
                double expected = ReductionsReference.sum(toDouble(x), off, n);
                double absSum = 0;
                for (int i = off; i < off + n; i++) {
                    absSum += Math.abs(x[i]);
                }
                // per lane at most BLOCK/32 float adds, then a lane tree and double across blocks
                double bound = (Reductions.BLOCK / 32.0 + 8) * EPS * absSum;
                assertThat(Reductions.sum(x, off, n)).as("public n=" + n).isCloseTo(expected, offset(bound));
                assertThat(Reductions.sumScalar(x, off, n)).as("scalar n=" + n).isCloseTo(expected, offset(1e-9 * absSum));
                if (VectorSupport.ENABLED) {
                    assertThat(ReductionsVector.sum(x, off, n)).as("vector n=" + n).isCloseTo(expected, offset(bound));
                }
            }
        }
    }

    @Test
    void sumErrorDoesNotGrowWithLengthBecauseBlocksAreAddedInDouble() {
        // 4M copies of 0.1f: one float accumulator would drift by percents; blocks keep it near exact.
        int n = 1 << 22;
        float[] x = new float[n];
        Arrays.fill(x, 0.1f);
        double exact = (double) 0.1f * n;
        assertThat(Reductions.sum(x, 0, n)).isCloseTo(exact, offset(1e-6 * exact));
    }

    @Test
    void sumAxisMatchesTheOracleOnOddShapesIncludingInnerOneAndTails() {
        Random random = new Random(9);
        int[] outers = {1, 2, 3};
        int[] lens = {0, 1, 7, 33, 60};
        int[] inners = {1, 2, 7, 8, 9, 17, 33, 100, 300};
        for (int outer : outers) {
            for (int len : lens) {
                for (int inner : inners) {
                    float[] x = awkward(random, outer * len * inner, 1f, 1e4f);
                    double[] expected = new double[outer * inner];
                    ReductionsReference.sumAxis(toDouble(x), outer, len, inner, expected);
                    double[] scale = new double[outer * inner];
                    for (int o = 0; o < outer; o++) {
                        for (int j = 0; j < len; j++) {
                            for (int i = 0; i < inner; i++) {
                                scale[o * inner + i] += Math.abs(x[(o * len + j) * inner + i]);
                            }
                        }
                    }
                    String what = "[" + outer + ", " + len + ", " + inner + "]";
                    double rel = (len + 8) * EPS;
                    float[] out = new float[outer * inner];
                    Arrays.fill(out, Float.NaN); // sumAxis overwrites: stale values must not leak in
                    Reductions.sumAxis(x, outer, len, inner, out);
                    assertClose("public " + what, out, expected, scale, rel, 0);
                    Arrays.fill(out, Float.NaN);
                    Reductions.sumAxisScalar(x, outer, len, inner, out);
                    assertClose("scalar " + what, out, expected, scale, rel, 0);
                    if (VectorSupport.ENABLED) {
                        Arrays.fill(out, Float.NaN);
                        ReductionsVector.sumAxis(x, outer, len, inner, out);
                        assertClose("vector " + what, out, expected, scale, rel, 0);
                    }
                }
            }
        }
    }

    @Test
    void sumAxisGivesBiasGradientsAndRowSums() {
        float[] x = {1, 2, 3, 4, 5, 6}; // [2, 3]
        float[] columns = new float[3];
        Reductions.sumAxis(x, 1, 2, 3, columns);
        assertThat(columns).containsExactly(5, 7, 9);
        float[] rows = new float[2];
        Reductions.sumAxis(x, 2, 3, 1, rows);
        assertThat(rows).containsExactly(6, 15);
    }

    @Test
    void badRangesAndShapesAreRejectedWithTheNumbers() {
        float[] x = new float[10];
        assertThatThrownBy(() -> Reductions.sum(x, 5, 6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x has 10 elements, fewer than offset + n = 5 + 6");
        assertThatThrownBy(() -> Reductions.sum(x, 0, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("n -1");
        assertThatThrownBy(() -> Reductions.sumAxis(x, 2, 3, 2, new float[4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("x has 10 elements, fewer than [2, 3, 2] = 12");
        assertThatThrownBy(() -> Reductions.sumAxis(x, 1, 5, 2, new float[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("out has 1 elements, fewer than outer * inner = 2");
    }
}
