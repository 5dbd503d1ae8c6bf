package dev.powerprop.engine.cpu.elementwise;

import dev.powerprop.engine.backend.BinaryOp;
import dev.powerprop.engine.backend.UnaryOp;

/**
 * The float64 oracle of {@link Elementwise}: the most obvious loops, and the arithmetic of the
 * engine's F64 path. The derivative of each function is stated here once, in the clearest form.
 */
public final class ElementwiseReference {
    private ElementwiseReference() {}

    public static double apply(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case RELU -> Math.max(x, 0.0);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
        };
    }

    /** f'(x) * gy, from the saved x or y = f(x). */
    public static double derivative(UnaryOp op, double x, double y, double gy) {
        return switch (op) {
            case NEG -> -gy;                   // d(-x)/dx = -1
            case RELU -> y > 0 ? gy : 0.0;     // d max(x,0)/dx = [x > 0]
            case EXP -> gy * y;                // d e^x/dx = e^x
            case LOG -> gy / x;                // d ln x/dx = 1/x
            case TANH -> gy * (1 - y * y);     // d tanh x/dx = 1 - tanh^2 x
            case SIGMOID -> gy * y * (1 - y);  // d s(x)/dx = s(x)(1 - s(x))
        };
    }

    public static double apply(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
        };
    }

    public static void unary(UnaryOp op, double[] x, double[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = apply(op, x[i]);
        }
    }

    public static void unaryBackward(UnaryOp op, double[] x, double[] y, double[] gy, double[] gx, int n) {
        for (int i = 0; i < n; i++) {
            gx[i] += derivative(op, x == null ? 0 : x[i], y == null ? 0 : y[i], gy[i]);
        }
    }

    /** out[i] = a[aIndex[i]] op b[bIndex[i]]. */
    public static void binaryIndexed(BinaryOp op, double[] a, int[] aIndex, double[] b, int[] bIndex,
                                     double[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = apply(op, a[aIndex[i]], b[bIndex[i]]);
        }
    }

    public static void axpy(double alpha, double[] x, double[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] += alpha * x[i];
        }
    }
}
