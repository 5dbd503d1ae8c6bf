package dev.powerprop.nn.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Hand-made safetensors bytes for the corruption tests. */
final class SafeTensorsTestFiles {
    private SafeTensorsTestFiles() {
    }

    /** A file with the given header text (unpadded) followed by {@code buffer}. */
    static byte[] file(String header, byte[] buffer) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + buffer.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(buffer).array();
    }
}
