package dev.powerprop.engine.cpu.elementwise;

import dev.powerprop.engine.backend.BinaryOp;
import dev.powerprop.engine.backend.UnaryOp;
import dev.powerprop.engine.cpu.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise float kernels on the Vector API. Only loaded when {@code VectorSupport.ENABLED}.
 *
 * <p>Each operation has its own loop: the Vector API compiles {@code lanewise(op, ...)} to one
 * instruction only when {@code op} is a constant where it is called, so the operator is chosen
 * by a switch <em>outside</em> the loop. Tails run the scalar loop of {@link ElementwiseScalar}.
 */
final class ElementwiseVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private ElementwiseVector() {}

    /** y = f(x) over [from, to); {@code from} is 0 or a multiple of the vector length. */
    static void unary(UnaryOp op, float[] x, float[] y, int from, int to) {
        int bound = from + S.loopBound(to - from);
        int i = from;
        switch (op) {
            case NEG -> {
                for (; i < bound; i += S.length()) {
                    FloatVector.fromArray(S, x, i).neg().intoArray(y, i);
                }
            }
            case RELU -> {
                for (; i < bound; i += S.length()) {
                    FloatVector.fromArray(S, x, i).max(0f).intoArray(y, i);
                }
            }
            case EXP -> {
                for (; i < bound; i += S.length()) {
                    VectorMath.exp(FloatVector.fromArray(S, x, i)).intoArray(y, i);
                }
            }
            case LOG -> {
                for (; i < bound; i += S.length()) {
                    VectorMath.log(FloatVector.fromArray(S, x, i)).intoArray(y, i);
                }
            }
            case TANH -> {
                for (; i < bound; i += S.length()) {
                    VectorMath.tanh(FloatVector.fromArray(S, x, i)).intoArray(y, i);
                }
            }
            case SIGMOID -> {
                // 1 / (1 + e^-x)
                FloatVector one = FloatVector.broadcast(S, 1f);
                for (; i < bound; i += S.length()) {
                    FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, i).neg());
                    one.div(e.add(1f)).intoArray(y, i);
                }
            }
        }
        ElementwiseScalar.unary(op, x, y, i, to);
    }

    /** gx += gy * f'(x) over [from, to); {@code from} is 0 or a multiple of the vector length. */
    static void unaryBackward(UnaryOp op, float[] x, float[] y, float[] gy, float[] gx, int from, int to) {
        int bound = from + S.loopBound(to - from);
        int i = from;
        switch (op) {
            case NEG -> {
                for (; i < bound; i += S.length()) {
                    FloatVector.fromArray(S, gx, i).sub(FloatVector.fromArray(S, gy, i)).intoArray(gx, i);
                }
            }
            case RELU -> {
                for (; i < bound; i += S.length()) {
                    FloatVector g = FloatVector.fromArray(S, gy, i);
                    var positive = FloatVector.fromArray(S, y, i).compare(VectorOperators.GT, 0f);
                    FloatVector.fromArray(S, gx, i).add(g, positive).intoArray(gx, i);
                }
            }
            case EXP -> {
                for (; i < bound; i += S.length()) {
                    FloatVector g = FloatVector.fromArray(S, gy, i);
                    g.fma(FloatVector.fromArray(S, y, i), FloatVector.fromArray(S, gx, i)).intoArray(gx, i);
                }
            }
            case LOG -> {
                for (; i < bound; i += S.length()) {
                    FloatVector g = FloatVector.fromArray(S, gy, i).div(FloatVector.fromArray(S, x, i));
                    FloatVector.fromArray(S, gx, i).add(g).intoArray(gx, i);
                }
            }
            case TANH -> {
                for (; i < bound; i += S.length()) {
                    FloatVector yv = FloatVector.fromArray(S, y, i);
                    FloatVector local = yv.mul(yv).neg().add(1f);
                    FloatVector.fromArray(S, gy, i).mul(local).add(FloatVector.fromArray(S, gx, i)).intoArray(gx, i);
                }
            }
            case SIGMOID -> {
                for (; i < bound; i += S.length()) {
                    FloatVector yv = FloatVector.fromArray(S, y, i);
                    FloatVector local = FloatVector.fromArray(S, gy, i).mul(yv).mul(yv.neg().add(1f));
                    local.add(FloatVector.fromArray(S, gx, i)).intoArray(gx, i);
                }
            }
        }
        ElementwiseScalar.unaryBackward(op, x, y, gy, gx, i, to);
    }

    /** out[oo+i] = a[ao+i] op b[bo+i] for i in [0, len). */
    static void binary(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int len) {
        int bound = S.loopBound(len);
        int i = 0;
        switch (op) {
            case ADD -> {
                for (; i < bound; i += S.length()) {
                    FloatVector.fromArray(S, a, ao + i).add(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
                }
            }
            case SUB -> {
                for (; i < bound; i += S.length()) {
                    FloatVector.fromArray(S, a, ao + i).sub(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
                }
            }
            case MUL -> {
                for (; i < bound; i += S.length()) {
                    FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
                }
            }
            case DIV -> {
                for (; i < bound; i += S.length()) {
                    FloatVector.fromArray(S, a, ao + i).div(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
                }
            }
        }
        ElementwiseScalar.binary(op, a, ao, 1, b, bo, 1, out, oo, i, len);
    }

    /** out[oo+i] = a[ao+i] op s, or s op a[ao+i] when {@code scalarFirst}. */
    static void binaryScalar(BinaryOp op, float[] a, int ao, float s, boolean scalarFirst,
                             float[] out, int oo, int len) {
        FloatVector sv = FloatVector.broadcast(S, s);
        int bound = S.loopBound(len);
        int i = 0;
        switch (op) {
            case ADD -> {
                for (; i < bound; i += S.length()) {
                    FloatVector.fromArray(S, a, ao + i).add(sv).intoArray(out, oo + i);
                }
            }
            case MUL -> {
                for (; i < bound; i += S.length()) {
                    FloatVector.fromArray(S, a, ao + i).mul(sv).intoArray(out, oo + i);
                }
            }
            case SUB -> {
                for (; i < bound; i += S.length()) {
                    FloatVector v = FloatVector.fromArray(S, a, ao + i);
                    (scalarFirst ? sv.sub(v) : v.sub(sv)).intoArray(out, oo + i);
                }
            }
            case DIV -> {
                for (; i < bound; i += S.length()) {
                    FloatVector v = FloatVector.fromArray(S, a, ao + i);
                    (scalarFirst ? sv.div(v) : v.div(sv)).intoArray(out, oo + i);
                }
            }
        }
        float[] one = {s};
        if (scalarFirst) {
            ElementwiseScalar.binary(op, one, 0, 0, a, ao, 1, out, oo, i, len);
        } else {
            ElementwiseScalar.binary(op, a, ao, 1, one, 0, 0, out, oo, i, len);
        }
    }

    /** y += alpha * x over [from, to); {@code from} is 0 or a multiple of the vector length. */
    static void axpy(float alpha, float[] x, float[] y, int from, int to) {
        FloatVector av = FloatVector.broadcast(S, alpha);
        int bound = from + S.loopBound(to - from);
        int i = from;
        for (; i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, i).fma(av, FloatVector.fromArray(S, y, i)).intoArray(y, i);
        }
        ElementwiseScalar.axpy(alpha, x, y, i, to);
    }
}
