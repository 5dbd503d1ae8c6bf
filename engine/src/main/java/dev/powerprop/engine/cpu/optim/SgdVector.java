package dev.powerprop.engine.cpu.optim;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link SgdKernel} a vector at a time; the same float operations as the scalar loop, so the same bits. */
final class SgdVector {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private SgdVector() {}

    /** {@code [from, to)} with {@code from} a multiple of the lanes: whole vectors, then the scalar rest. */
    static void step(float[] param, float[] grad, float[] velocity, int from, int to, float lr, float momentum,
                     float weightDecay, boolean nesterov) {
        int i = from;
        for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
            FloatVector p = FloatVector.fromArray(F, param, i);
            FloatVector g = FloatVector.fromArray(F, grad, i);
            if (weightDecay != 0f) {
                g = g.add(p.mul(weightDecay));
            }
            if (momentum != 0f) {
                FloatVector buf = FloatVector.fromArray(F, velocity, i).mul(momentum).add(g);
                buf.intoArray(velocity, i);
                g = nesterov ? g.add(buf.mul(momentum)) : buf;
            }
            p.sub(g.mul(lr)).intoArray(param, i);
        }
        SgdKernel.stepScalar(param, grad, velocity, i, to, lr, momentum, weightDecay, nesterov);
    }
}
