package dev.powerprop.engine.cpu.optim;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link AdamKernel} a vector at a time; the same float operations as the scalar loop (sqrt is correctly rounded in both), so the same bits. */
final class AdamVector {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private AdamVector() {}

    /** {@code [from, to)} with {@code from} a multiple of the lanes: whole vectors, then the scalar rest. */
    static void step(float[] param, float[] grad, float[] m, float[] v, int from, int to, float stepSize, float beta1,
                     float beta2, float bias2Sqrt, float eps, float weightDecay) {
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        int i = from;
        for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
            FloatVector p = FloatVector.fromArray(F, param, i);
            FloatVector g = FloatVector.fromArray(F, grad, i);
            if (weightDecay != 0f) {
                g = g.add(p.mul(weightDecay));
            }
            FloatVector mi = FloatVector.fromArray(F, m, i).mul(beta1).add(g.mul(oneMinusBeta1));
            FloatVector vi = FloatVector.fromArray(F, v, i).mul(beta2).add(g.mul(oneMinusBeta2).mul(g));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector denom = vi.sqrt().div(bias2Sqrt).add(eps);
            p.sub(mi.div(denom).mul(stepSize)).intoArray(param, i);
        }
        AdamKernel.stepScalar(param, grad, m, v, i, to, stepSize, beta1, beta2, bias2Sqrt, eps, weightDecay);
    }
}
