package dev.powerprop.opencl;

import dev.powerprop.engine.cpu.conv.ConvGeometry;

/**
 * 2-D max-pooling of an NCHW batch on the device ({@code pool.cl}), as the engine's
 * {@code cpu/pool/MaxPool2dKernel}: a {@code k x k} window, padding never chosen, argmax the flat
 * input index of the first maximum (or first NaN) in row-major window order.
 */
public final class ClMaxPool2d {
    private ClMaxPool2d() {}

    /**
     * {@code y} and {@code argmax} ({@code [batch, channels, outH, outW]}) from {@code x}
     * ({@code [batch, channels, height, width]}).
     */
    public static void forward(OpenClContext cx, DeviceBuffer x, int batch, int channels, int height, int width,
                               int k, int stride, int pad, DeviceBuffer y, DeviceBuffer argmax) {
        ConvGeometry g = geometry(batch, channels, height, width, k, stride, pad);
        int planes = batch * channels;
        int outputs = planes * g.outH() * g.outW();
        ClChecks.lengths(planes * height * width, "x", x);
        ClChecks.lengths(outputs, "y", y, "argmax", argmax);
        cx.runOwned("max_pool_forward", outputs, planes, height, width, k, stride, pad, g.outH(), g.outW(),
                x, y, argmax);
    }

    /** {@code gradX[argmax[o]] += gradY[o]} for every output o (a deterministic gather, no atomics). */
    public static void backward(OpenClContext cx, DeviceBuffer gradY, DeviceBuffer argmax, int batch, int channels,
                                int height, int width, int k, int stride, int pad, DeviceBuffer gradX) {
        ConvGeometry g = geometry(batch, channels, height, width, k, stride, pad);
        int planes = batch * channels;
        ClChecks.lengths(planes * g.outH() * g.outW(), "gradY", gradY, "argmax", argmax);
        ClChecks.lengths(planes * height * width, "gradX", gradX);
        cx.runOwned("max_pool_backward", planes * height * width, planes, height, width, k, stride, pad,
                g.outH(), g.outW(), gradY, argmax, gradX);
    }

    private static ConvGeometry geometry(int batch, int channels, int height, int width, int k, int stride, int pad) {
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be >= 0, got " + batch);
        }
        if (pad >= k) {
            throw new IllegalArgumentException("pad must be smaller than the pooling window, got pad " + pad
                    + " with window " + k + "x" + k);
        }
        return new ConvGeometry(channels, height, width, k, k, stride, pad);
    }
}
