package dev.powerprop.nn.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builds IDX files for tests, including broken ones. */
final class IdxTestFiles {
    private IdxTestFiles() {
    }

    /** The bytes of an IDX file: magic {@code 00 00 type rank}, big-endian dims, then data. */
    static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    /** An unsigned-byte IDX file. */
    static byte[] idx(int[] dims, byte[] data) {
        return idx(IdxFile.UNSIGNED_BYTE, dims, data);
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        return file;
    }

    /** {@code n} images of {@code rows x cols} where pixel j of image i is {@code (i * 7 + j) % 256}. */
    static byte[] images(int n, int rows, int cols) {
        byte[] data = new byte[n * rows * cols];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < rows * cols; j++) {
                data[i * rows * cols + j] = (byte) ((i * 7 + j) % 256);
            }
        }
        return idx(new int[] {n, rows, cols}, data);
    }

    /** Labels {@code i % classes}. */
    static byte[] labels(int n, int classes) {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) (i % classes);
        }
        return idx(new int[] {n}, data);
    }
}
