package dev.powerprop.opencl;

import dev.powerprop.engine.cpu.conv.ConvGeometry;

/**
 * im2col and its adjoint on the device ({@code conv.cl}), as the engine's {@code cpu/conv/Im2col}:
 * one image {@code [channels, height, width]} at an offset becomes the columns
 * {@code [channels*kh*kw, outH*outW]} that turn a convolution into one GEMM.
 */
public final class ClConv {
    private ClConv() {}

    /** Unfolds the image at {@code xOff} into {@code cols} at {@code colsOff} (overwrites; padding reads 0). */
    public static void im2col(OpenClContext cx, DeviceBuffer x, int xOff, ConvGeometry g, DeviceBuffer cols,
                              int colsOff) {
        ClChecks.range("x", x, xOff, g.inputSize());
        ClChecks.range("cols", cols, colsOff, g.colsSize());
        cx.runOwned("im2col", (int) g.colsSize(), g.channels(), g.height(), g.width(), g.kh(), g.kw(), g.stride(),
                g.pad(), g.outH(), g.outW(), x, xOff, cols, colsOff);
    }

    /** {@code gradX += col2im(cols)} into the image at {@code gradXOff}: the adjoint of {@link #im2col}. */
    public static void col2im(OpenClContext cx, DeviceBuffer cols, int colsOff, ConvGeometry g, DeviceBuffer gradX,
                              int gradXOff) {
        ClChecks.range("cols", cols, colsOff, g.colsSize());
        ClChecks.range("gradX", gradX, gradXOff, g.inputSize());
        cx.runOwned("col2im", (int) g.inputSize(), g.channels(), g.height(), g.width(), g.kh(), g.kw(), g.stride(),
                g.pad(), g.outH(), g.outW(), cols, colsOff, gradX, gradXOff);
    }
}
