package dev.powerprop.engine.cpu.pool;

import dev.powerprop.engine.cpu.conv.ConvGeometry;

/**
 * A batch of images {@code [batch, channels, height, width]} under a square {@code k x k} pooling
 * window: the per-image {@link ConvGeometry} plus the checks that only pooling needs.
 */
record PoolGeometry(int batch, ConvGeometry image) {

    static PoolGeometry of(int batch, int channels, int height, int width, int k, int stride, int pad) {
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be >= 0, got " + batch);
        }
        ConvGeometry image = new ConvGeometry(channels, height, width, k, k, stride, pad);
        // With pad < k every window holds at least one real element, so it has a maximum to
        // choose; a window of padding only would have none (and nothing for backward to route to).
        if (pad >= k) {
            throw new IllegalArgumentException("pad must be smaller than the pooling window, got pad "
                    + pad + " with window " + k + "x" + k);
        }
        long planeOutput = (long) image.outH() * image.outW();
        if ((long) batch * image.inputSize() > Integer.MAX_VALUE
                || (long) batch * channels * planeOutput > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too large for one Java array: input " + batch + " x "
                    + image.inputSize() + " elements, output " + batch + " x " + channels + " x "
                    + planeOutput + " elements");
        }
        return new PoolGeometry(batch, image);
    }

    int outH() {
        return image.outH();
    }

    int outW() {
        return image.outW();
    }

    /** Images times channels: the independent planes that threads split. */
    int planes() {
        return batch * image.channels();
    }

    int inputSize() {
        return planes() * image.height() * image.width();
    }

    int outputSize() {
        return planes() * outH() * outW();
    }

    void checkArrays(int xLength, int yLength, int argmaxLength) {
        ConvGeometry.checkRange("x", xLength, 0, inputSize());
        ConvGeometry.checkRange("y", yLength, 0, outputSize());
        ConvGeometry.checkRange("argmax", argmaxLength, 0, outputSize());
    }
}
