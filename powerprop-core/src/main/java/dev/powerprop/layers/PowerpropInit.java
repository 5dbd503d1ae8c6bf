package dev.powerprop.layers;

import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.ops.Powerprop;
import dev.powerprop.nn.init.Init;
import java.util.SplittableRandom;

/**
 * The notebook's initialisation (PAPER.md section 2): draw u from the variance-scaling
 * truncated normal on fan-in, then set {@code v = sign(u) * |u|^(1/alpha)}, so that the
 * effective weights {@code w = v |v|^(alpha-1) = u} are the same for every alpha. The alphas
 * then differ only in how they are parameterised, not in where they start.
 */
public final class PowerpropInit {
    private PowerpropInit() {}

    /** Fills {@code v} for exponent {@code alpha}, from a generator seeded with {@code seed}. */
    public static void init(Tensor v, int fanIn, double alpha, long seed) {
        Powerprop.checkAlpha(alpha);
        Init.varianceScaling(v, fanIn, 1.0, new SplittableRandom(seed));
        double inv = 1.0 / alpha;
        for (int i = 0; i < v.numel(); i++) {
            double u = v.get(i);
            v.set(i, Math.signum(u) * Math.pow(Math.abs(u), inv));
        }
    }
}
