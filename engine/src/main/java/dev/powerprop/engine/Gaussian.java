package dev.powerprop.engine;

import java.util.SplittableRandom;

/** Standard normal draws from a seeded generator, so every random choice is reproducible. */
public final class Gaussian {
    private Gaussian() {}

    /** One N(0, 1) draw (Box-Muller; SplittableRandom has no Gaussian of its own). */
    public static double next(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log1p(-u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
