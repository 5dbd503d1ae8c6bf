package dev.powerprop.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.cpu.VectorSupport;
import dev.powerprop.nn.data.MnistFolder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The same seed gives the same bits whatever vector width the JVM prefers: a short Figure 1 run
 * in this JVM (512-bit vectors on an AVX-512 machine) and in a child JVM limited to 256-bit
 * vectors ({@code -XX:MaxVectorSize=32}, as on an AVX2 machine) print the same digest. Kernels
 * that split a sum or a row's tail by the vector length (the softmax over 10 logits, float sums)
 * work in 8 lanes on every machine for this. On a machine whose widest vectors are 256-bit both
 * runs would be the same JVM setting, so the test is skipped there.
 */
class VectorWidthDeterminismTest {
    @Test
    void aShortRunGivesTheSameBitsWith512And256BitVectors() throws Exception {
        assumeTrue(VectorSupport.FLOAT_LANES > 8, "the JVM prefers " + VectorSupport.FLOAT_LANES * 32
                + "-bit vectors here: there is no wider width to compare with 256-bit");
        String here = digest();
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "-XX:MaxVectorSize=32", "-cp", System.getProperty("java.class.path"),
                VectorWidthDeterminismTest.class.getName()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        assertThat(child.exitValue()).as("child JVM exit code; its output:%n%s", output).isZero();
        assertThat(output).as("child JVM output").contains("8 floats per vector (256-bit)");
        assertThat(output.lines().filter(l -> l.startsWith("digest ")).findFirst())
                .as("child JVM output:%n%s", output).contains("digest " + here);
    }

    /** Run by the test in a child JVM: prints the digest of the same short run. */
    public static void main(String[] args) throws Exception {
        System.out.println("digest " + digest());
    }

    /** Test accuracies and every final weight of two alphas after 300 steps, bit for bit. */
    private static String digest() throws Exception {
        var data = MnistFolder.shippedSubset().splits(1000);
        var config = new Figure1.Config(new double[] {1, 2}, 300, 60, 0.1, 0, 1000, new int[] {784, 64, 10});
        long hash = 17;
        for (Figure1.AlphaResult result : Figure1.run(config, data, 1, 1, null)) {
            for (double accuracy : result.testAccuracy()) {
                hash = 31 * hash + Double.doubleToLongBits(accuracy);
            }
            for (Tensor w : result.finalWeights()) {
                for (float x : w.data()) {
                    hash = 31 * hash + Float.floatToRawIntBits(x);
                }
            }
        }
        return Long.toHexString(hash);
    }
}
