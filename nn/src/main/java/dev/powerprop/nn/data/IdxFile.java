package dev.powerprop.nn.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * One array in the IDX format, the format of MNIST and Fashion-MNIST.
 *
 * <p>Layout (all integers big-endian): two zero bytes, a type byte, a rank byte, then
 * {@code rank} int32 dimensions, then the elements in row-major order. Only type {@code 0x08}
 * (unsigned byte), the type every MNIST-family file uses, is supported; the other types of the
 * format are rejected by name. A file may be gzip-compressed: that is detected from the gzip
 * magic {@code 1f 8b}, not from the file name.
 *
 * <pre>{@code
 * IdxFile images = IdxFile.read(Path.of("train-images-idx3-ubyte.gz"));
 * int n = images.dim(0), rows = images.dim(1), cols = images.dim(2);
 * int firstPixel = images.unsignedByte(0);
 * }</pre>
 *
 * <p>Two instances are equal when their dims and bytes are; where they came from does not count.
 *
 * @param file where it was read from (for messages)
 * @param dims the dimensions, each positive
 * @param bytes the elements as raw unsigned bytes, row-major; not copied, do not modify
 */
public record IdxFile(Path file, int[] dims, byte[] bytes) {
    /** The type code of unsigned bytes, the only element type supported. */
    public static final int UNSIGNED_BYTE = 0x08;

    /** The largest rank accepted; MNIST uses 1 (labels) and 3 (images). */
    static final int MAX_RANK = 8;

    /** The largest element count accepted: what a Java array can hold. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    /** Checks that the dimensions match the bytes. */
    public IdxFile {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        if (n != bytes.length) {
            throw new IllegalArgumentException("dims " + Arrays.toString(dims) + " need " + n
                    + " bytes but " + bytes.length + " were given");
        }
        dims = dims.clone();
    }

    /** The dimensions (a copy). */
    @Override
    public int[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    /** Dimension {@code axis}. */
    public int dim(int axis) {
        return dims[axis];
    }

    /** Element {@code i} of the flat row-major data, in 0..255. */
    public int unsignedByte(int i) {
        return bytes[i] & 0xFF;
    }

    /**
     * Reads an IDX file, gzip or raw, and validates it completely: magic, type, rank,
     * dimensions, and a data length that matches the dimensions exactly (no missing and no
     * trailing bytes). In a gzip file that holds for the decompressed data, whose checksum
     * {@code GZIPInputStream} verifies; bytes after the last gzip member are not seen, because
     * {@code GZIPInputStream} ignores them.
     *
     * @throws IdxFormatException if the file is not a valid unsigned-byte IDX file
     * @throws IOException if it cannot be read
     */
    public static IdxFile read(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return parse(file, in);
        } catch (EOFException | ZipException e) {
            // GZIPInputStream reports a cut or damaged compressed stream this way.
            throw new IOException(file + ": the gzip stream is damaged or truncated ("
                    + e.getMessage() + ")", e);
        }
    }

    /** Opens the file, decompressing if it starts with the gzip magic. */
    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return in;
    }

    private static IdxFile parse(Path file, InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new IdxFormatException(file, magic.length,
                    "file ends inside the 4-byte IDX magic (00 00 type rank)");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(file, 0, String.format(
                    "expected the IDX magic to start with two zero bytes, found %02x %02x",
                    magic[0], magic[1]));
        }
        int type = magic[2] & 0xFF;
        if (type != UNSIGNED_BYTE) {
            throw new IdxFormatException(file, 2, String.format(
                    "element type 0x%02x (%s) is not supported; expected 0x08 (unsigned byte)",
                    type, typeName(type)));
        }
        int rank = magic[3] & 0xFF;
        if (rank < 1 || rank > MAX_RANK) {
            throw new IdxFormatException(file, 3, "rank " + rank + " is out of range; expected 1.."
                    + MAX_RANK);
        }
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            long offset = 4 + 4L * i;
            byte[] b = in.readNBytes(4);
            if (b.length < 4) {
                throw new IdxFormatException(file, offset + b.length, "file ends inside dimension "
                        + i + " of " + rank + " (each a 4-byte big-endian int)");
            }
            int d = ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
            if (d <= 0) {
                throw new IdxFormatException(file, offset, "dimension " + i + " is " + d
                        + "; expected a positive size");
            }
            count *= d;
            if (count > MAX_ELEMENTS) {
                throw new IdxFormatException(file, offset, "dimension " + i + " (" + d
                        + ") brings the element count above " + MAX_ELEMENTS
                        + "; not a plausible IDX file");
            }
            dims[i] = d;
        }
        long dataStart = 4 + 4L * rank;
        // readNBytes grows its buffer as data arrives, so a lying header in a short file does
        // not allocate the claimed size up front.
        byte[] data = in.readNBytes((int) count);
        if (data.length < count) {
            throw new IdxFormatException(file, dataStart + data.length, "file is truncated: dims "
                    + Arrays.toString(dims) + " need " + count + " data bytes from byte " + dataStart
                    + " (" + (dataStart + count) + " in all) but it ends after " + data.length);
        }
        if (in.read() >= 0) {
            long extra = 1 + in.skip(Long.MAX_VALUE);
            throw new IdxFormatException(file, dataStart + count, extra
                    + " trailing byte(s) after the " + count + " data bytes that dims "
                    + Arrays.toString(dims) + " describe; expected the end of the file");
        }
        return new IdxFile(file, dims, data);
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte";
            case 0x0B -> "int16";
            case 0x0C -> "int32";
            case 0x0D -> "float32";
            case 0x0E -> "float64";
            default -> "not an IDX type";
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxFile other && Arrays.equals(dims, other.dims)
                && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(dims) + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "IdxFile[" + file + ", dims " + Arrays.toString(dims) + "]";
    }
}
