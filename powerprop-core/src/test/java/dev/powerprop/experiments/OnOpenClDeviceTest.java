package dev.powerprop.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.backend.Backend;
import dev.powerprop.engine.backend.Backends;
import dev.powerprop.nn.data.BatchIterator;
import dev.powerprop.nn.data.DataSplits;
import dev.powerprop.nn.data.MnistFolder;
import dev.powerprop.nn.optim.SGD;
import dev.powerprop.opencl.CpuParity;
import dev.powerprop.opencl.OpenClBackend;
import dev.powerprop.pruning.MagnitudePruning;
import dev.powerprop.sparse.SparseMlp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The paper's model trained, pruned, evaluated and served sparse on an OpenCL device gives the
 * CPU's results: training and evaluation bit for bit, sparse inference within float rounding.
 * Skipped, with the reason, where no OpenCL device can be opened (CI installs
 * PoCL, so there it runs).
 */
class OnOpenClDeviceTest {
    private static Backend device;
    private static String unavailable;

    @BeforeAll
    static void openDevice() {
        try {
            device = Backends.device("opencl");
        } catch (IllegalArgumentException e) {
            unavailable = e.getMessage();
        }
    }

    /** Equal results need a device that can compute the CPU's bits (see CpuParity); skip with the reason elsewhere. */
    private static void requireCpuParity() {
        CpuParity parity = ((OpenClBackend) device).context().parity();
        assumeTrue(parity.bitwise(), () -> "bitwise check skipped: " + parity.describe());
    }

    @Test
    void trainingOnTheDeviceMatchesTheCpu() throws Exception {
        assumeTrue(device != null, () -> "no OpenCL device: " + unavailable);
        requireCpuParity();
        DataSplits data = MnistFolder.shippedSubset().splits(1000);
        double[] accuracy = new double[2];
        double[] prunedAccuracy = new double[2];
        for (int run = 0; run < 2; run++) {
            PowerpropMlp model = new PowerpropMlp(new int[] {784, 64, 10}, 2.0, 0);
            if (run == 1) {
                model.to(device);
            }
            Trainer.train(model, new SGD(model.parameters(), 0.1), BatchIterator.endless(data.train(), 60, 0, true),
                    150, null, 1000, null);
            accuracy[run] = Evaluation.score(model, data.test()).accuracy();
            MagnitudePruning.pruneLayerwise(model.layers(), 0.1, true);
            prunedAccuracy[run] = Evaluation.score(model, data.test()).accuracy();
        }
        // The device computes the CPU's bits (thePaperMlpTrainedOnTheDeviceIsTheCpuRunBitForBit): the same scores.
        assertThat(accuracy[1]).isEqualTo(accuracy[0]);
        assertThat(prunedAccuracy[1]).isEqualTo(prunedAccuracy[0]);
    }

    /**
     * Issue 5's last line, at its root: the paper's 784-300-100-10 MLP trained with SGD on the
     * shipped data for 30 steps on the device is the CPU's run, bit for bit (every parameter,
     * the validation accuracy), at alpha 1 with a mask in every layer and at alpha 3.
     */
    @Test
    void thePaperMlpTrainedOnTheDeviceIsTheCpuRunBitForBit() throws Exception {
        assumeTrue(device != null, () -> "no OpenCL device: " + unavailable);
        requireCpuParity();
        DataSplits data = MnistFolder.shippedSubset().splits(1000);
        for (double alpha : new double[] {1, 3}) {
            List<Map<String, Tensor>> parameters = new ArrayList<>();
            double[] validation = new double[2];
            for (int run = 0; run < 2; run++) {
                PowerpropMlp model = new PowerpropMlp(PowerpropMlp.PAPER_SIZES, alpha, 0);
                if (alpha == 1) {
                    MagnitudePruning.pruneLayerwise(model.layers(), 0.5, true);
                }
                if (run == 1) {
                    model.to(device);
                }
                validation[run] = Trainer.train(model, new SGD(model.parameters(), 0.1),
                        BatchIterator.endless(data.train(), 60, 0, true), 29, data.validation(), 1000, null);
                parameters.add(model.namedParameters());
            }
            assertThat(validation[1]).as("alpha %s validation accuracy", alpha).isEqualTo(validation[0]);
            for (var entry : parameters.get(0).entrySet()) {
                float[] cpu = entry.getValue().toHost().data();
                float[] onDevice = parameters.get(1).get(entry.getKey()).toHost().data();
                assertThat(differingBits(onDevice, cpu)).as("alpha %s: elements of %s that differ after 30 steps",
                        alpha, entry.getKey()).isZero();
            }
        }
    }

    /** How many elements differ in their bits (Float.equals: -0 is not +0, NaN equals NaN). */
    private static int differingBits(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        int differ = 0;
        for (int i = 0; i < expected.length; i++) {
            differ += Float.floatToIntBits(actual[i]) == Float.floatToIntBits(expected[i]) ? 0 : 1;
        }
        return differ;
    }

    @Test
    void sparseInferenceOnTheDeviceGivesTheCpuLogits() {
        assumeTrue(device != null, () -> "no OpenCL device: " + unavailable);
        PowerpropMlp model = new PowerpropMlp(new int[] {37, 29, 17, 10}, 3.0, 5);
        MagnitudePruning.pruneLayerwise(model.layers(), 0.1, true);
        SparseMlp sparse = SparseMlp.of(model);
        for (int batch : new int[] {1, 7, 64}) {
            float[] x = Tensor.rand(batch, 0, 1, batch, 37).data();
            float[] cpu = sparse.logits(x, batch, 1);
            float[] onDevice = sparse.logits(x, batch, device);
            for (int i = 0; i < cpu.length; i++) {
                assertThat((double) onDevice[i]).isCloseTo(cpu[i], within(1e-5 * Math.max(1, Math.abs(cpu[i]))));
            }
        }
    }
}
