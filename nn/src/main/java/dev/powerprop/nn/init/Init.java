package dev.powerprop.nn.init;

import dev.powerprop.engine.Gaussian;
import dev.powerprop.engine.Tensor;
import java.util.SplittableRandom;

/**
 * Initialisers. The default is variance scaling with a truncated normal, as Sonnet (and the
 * Powerpropagation notebook) initialise: draws beyond two standard deviations are redrawn,
 * and sigma is divided by 0.8796..., the std of a unit normal truncated at +-2, so the
 * values' std is exactly {@code sqrt(scale / fanIn)}.
 */
public final class Init {
    /** Std of a standard normal truncated to [-2, 2]. */
    public static final double TRUNCATED_NORMAL_STD = 0.87962566103423978;

    private Init() {}

    /** Fills {@code t} from N(0, sigma^2) truncated at +-2 sigma (redraws, not clipping). */
    public static void truncatedNormal(Tensor t, double sigma, SplittableRandom rng) {
        for (int i = 0; i < t.numel(); i++) {
            double z;
            do {
                z = Gaussian.next(rng);
            } while (Math.abs(z) > 2.0);
            t.set(i, sigma * z);
        }
    }

    /** Variance scaling on fan-in: values with std exactly {@code sqrt(scale / fanIn)}. */
    public static void varianceScaling(Tensor t, int fanIn, double scale, SplittableRandom rng) {
        if (fanIn < 1) {
            throw new IllegalArgumentException("fan-in must be >= 1, got " + fanIn);
        }
        truncatedNormal(t, Math.sqrt(scale / fanIn) / TRUNCATED_NORMAL_STD, rng);
    }
}
