package dev.powerprop.nn.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import dev.powerprop.nn.io.AtomicFiles;

/**
 * Reads and writes checkpoints in the safetensors format of Hugging Face, so weights move
 * between this library and PyTorch/NumPy ({@code safetensors.torch.load_file}) unchanged.
 *
 * <p>The format: an 8-byte little-endian unsigned length {@code N}; {@code N} bytes of UTF-8
 * JSON mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}},
 * plus an optional {@code "__metadata__"} object of string to string; then one byte buffer that
 * holds every tensor's little-endian values, offsets relative to its start, packed without
 * gaps or overlaps.
 *
 * <pre>{@code
 * SafeTensors.write(path, List.of(TensorEntry.of("fc1.weight", w), TensorEntry.of("fc1.bias", b)),
 *         Map.of("alpha", "2"));
 * SafeTensorsFile file = SafeTensors.read(path);
 * Tensor w2 = file.get("fc1.weight").toTensor();
 * }</pre>
 *
 * <p>Writes are atomic: the file is written beside the target under a temporary name, forced to
 * disk, then renamed over the target, so a crash or error leaves either the old file or the
 * new one, never half of one. Reads validate the whole file and report problems as
 * {@link SafeTensorsFormatException} with the file, the byte offset and what was expected.
 */
public final class SafeTensors {
    /** The header key holding the string-to-string metadata. */
    public static final String METADATA_KEY = "__metadata__";

    /** The largest header accepted: the safetensors library's own limit, 100 MB. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** Values are converted to bytes through a buffer of this size, so no tensor is copied whole. */
    private static final int CHUNK_BYTES = 1 << 20;

    /** The header length is padded with spaces to a multiple of this, as the library does. */
    private static final int HEADER_ALIGNMENT = 8;

    private SafeTensors() {
    }

    // ---- writing ---------------------------------------------------------------------------

    /**
     * Writes {@code entries} and {@code metadata} to {@code file}, atomically replacing any file
     * there. Tensors are laid out as the Python library lays them out (8-byte types first, then
     * by name), so the same tensors give the same bytes.
     *
     * @throws IllegalArgumentException if two entries share a name
     * @throws IOException if writing fails; the previous file is then unchanged and no temporary
     *     file is left behind
     */
    public static void write(Path file, Collection<TensorEntry> entries, Map<String, String> metadata)
            throws IOException {
        write(file, entries, metadata, UnaryOperator.identity());
    }

    /**
     * {@link #write(Path, Collection, Map)} with the file's channel passed through {@code wrap}
     * first: tests use it to make a write fail midway.
     */
    static void write(Path file, Collection<TensorEntry> entries, Map<String, String> metadata,
            UnaryOperator<WritableByteChannel> wrap) throws IOException {
        List<TensorEntry> layout = layout(entries);
        byte[] header = header(layout, metadata);
        Path target = file.toAbsolutePath();
        try {
            AtomicFiles.write(target, channel -> writeContents(wrap.apply(channel), header, layout));
        } catch (IOException | RuntimeException e) {
            throw new IOException("writing checkpoint " + target + " failed ("
                    + e + "); any previous file there is unchanged", e);
        }
    }

    /** Tensors in file order: larger types first (keeps 8-byte values aligned), then by name. */
    private static List<TensorEntry> layout(Collection<TensorEntry> entries) {
        Set<String> names = new HashSet<>();
        for (TensorEntry e : entries) {
            if (!names.add(e.name())) {
                throw new IllegalArgumentException("two tensors are named \"" + e.name()
                        + "\"; names in a checkpoint must be unique");
            }
        }
        List<TensorEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(TensorEntry::dtype, Comparator.reverseOrder())
                .thenComparing(TensorEntry::name));
        return sorted;
    }

    /** The length prefix and the space-padded JSON header. */
    private static byte[] header(List<TensorEntry> layout, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            // Sorted, so that the same checkpoint always gives the same bytes.
            json.append(Json.quote(METADATA_KEY)).append(":{");
            String sep = "";
            for (Map.Entry<String, String> m : new TreeMap<>(metadata).entrySet()) {
                json.append(sep).append(Json.quote(m.getKey())).append(':')
                        .append(Json.quote(m.getValue()));
                sep = ",";
            }
            json.append('}');
        }
        long offset = 0;
        for (TensorEntry e : layout) {
            json.append(json.length() > 1 ? "," : "").append(Json.quote(e.name()))
                    .append(":{\"dtype\":\"").append(e.dtype().name()).append("\",\"shape\":[");
            int[] shape = e.shape();
            for (int i = 0; i < shape.length; i++) {
                json.append(i > 0 ? "," : "").append(shape[i]);
            }
            long end = offset + e.byteLength();
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        // getBytes turns a lone UTF-16 surrogate into '?': refuse such a name or value rather than
        // write a file that says something else (or that two names collide in).
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(json)) {
            throw new IllegalArgumentException("a tensor name or metadata string holds a lone UTF-16 surrogate, "
                    + "which UTF-8 cannot encode");
        }
        byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + HEADER_ALIGNMENT - 1) / HEADER_ALIGNMENT * HEADER_ALIGNMENT;
        ByteBuffer out = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(text);
        while (out.hasRemaining()) {
            out.put((byte) ' ');
        }
        return out.array();
    }

    private static void writeContents(WritableByteChannel channel, byte[] header,
            List<TensorEntry> layout) throws IOException {
        writeFully(channel, ByteBuffer.wrap(header));
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (TensorEntry e : layout) {
            int perChunk = CHUNK_BYTES / e.dtype().byteSize();
            for (int from = 0; from < e.numel(); from += perChunk) {
                int count = Math.min(perChunk, e.numel() - from);
                chunk.clear();
                e.encode(from, count, chunk);
                chunk.flip();
                writeFully(channel, chunk);
            }
        }
    }

    private static void writeFully(WritableByteChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    // ---- reading ---------------------------------------------------------------------------

    /**
     * Reads and validates a whole safetensors file.
     *
     * @throws SafeTensorsFormatException naming the file, the byte offset and the problem, if
     *     the file is not a valid safetensors file of the supported dtypes
     * @throws IOException if it cannot be read
     */
    public static SafeTensorsFile read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a folder, not a safetensors file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return new Reader(file.toString(), channel).read(file);
        }
    }

    /** One read of one file; holds the file's name and sizes for the error messages. */
    private static final class Reader {
        private final String name;
        private final FileChannel channel;
        private long headerLength;
        private long bufferStart;
        private long bufferLength;
        private String headerText;

        Reader(String name, FileChannel channel) {
            this.name = name;
            this.channel = channel;
        }

        SafeTensorsFile read(Path file) throws IOException {
            long size = channel.size();
            if (size < 8) {
                throw error(0, "the file is " + size + " bytes long; a safetensors file starts"
                        + " with an 8-byte little-endian header length");
            }
            headerLength = readBytes(0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
                throw error(0, "header length " + Long.toUnsignedString(headerLength)
                        + " is larger than the " + MAX_HEADER_BYTES
                        + "-byte limit; this is not a safetensors file or its start is damaged");
            }
            if (headerLength > size - 8) {
                throw error(0, "header length " + headerLength + " runs past the end of the file: only "
                        + (size - 8) + " bytes follow the length (file truncated or not safetensors)");
            }
            bufferStart = 8 + headerLength;
            bufferLength = size - bufferStart;
            headerText = decodeUtf8(readBytes(8, (int) headerLength));
            Object json;
            try {
                json = Json.parse(headerText);
            } catch (Json.SyntaxException e) {
                throw error(fileOffset(e.position()), "header JSON is malformed at character "
                        + e.position() + ": " + e.getMessage());
            }
            if (!(json instanceof Json.JsonObject header)) {
                throw error(8, "the header must be a JSON object {name: {dtype, shape, data_offsets}}");
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Located> located = new ArrayList<>();
            for (Map.Entry<String, Object> member : header.entrySet()) {
                long at = fileOffset(header.positionOf(member.getKey()));
                if (member.getKey().equals(METADATA_KEY)) {
                    metadata = metadata(member.getValue(), at);
                } else {
                    located.add(describe(member.getKey(), member.getValue(), at));
                }
            }
            checkPacking(located);
            Map<String, TensorEntry> entries = new LinkedHashMap<>();
            for (Located l : located) {
                entries.put(l.entry.name(), l.entry);
            }
            // Values are read in buffer order: one forward pass over the file.
            located.sort(Comparator.comparingLong(Located::begin));
            for (Located l : located) {
                readValues(l);
            }
            return new SafeTensorsFile(file, entries, metadata);
        }

        /** Where an entry's bytes are, checked against its dtype and shape. */
        private record Located(TensorEntry entry, long begin, long end) {
        }

        private Map<String, String> metadata(Object value, long at) throws SafeTensorsFormatException {
            if (!(value instanceof Map<?, ?> map)) {
                throw error(at, "\"" + METADATA_KEY + "\" must be an object of string to string");
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Map.Entry<?, ?> m : map.entrySet()) {
                if (!(m.getValue() instanceof String s)) {
                    throw error(at, "metadata value of \"" + m.getKey() + "\" must be a string, found "
                            + m.getValue());
                }
                metadata.put((String) m.getKey(), s);
            }
            return metadata;
        }

        private Located describe(String tensor, Object value, long at) throws SafeTensorsFormatException {
            String what = "tensor \"" + tensor + "\": ";
            if (!(value instanceof Map<?, ?> info)) {
                throw error(at, what + "expected an object {\"dtype\", \"shape\", \"data_offsets\"}");
            }
            for (Object key : info.keySet()) {
                if (!Set.of("dtype", "shape", "data_offsets").contains(key)) {
                    throw error(at, what + "unexpected field \"" + key
                            + "\"; expected only dtype, shape and data_offsets");
                }
            }
            if (!(info.get("dtype") instanceof String dtypeName)) {
                throw error(at, what + "\"dtype\" must be a string such as \"F32\"");
            }
            ElementType dtype;
            try {
                dtype = ElementType.parse(dtypeName);
            } catch (IllegalArgumentException e) {
                throw error(at, what + e.getMessage());
            }
            long[] shape = integers(info.get("shape"), -1, what + "\"shape\"", at);
            int[] dims = new int[shape.length];
            long numel = 1;
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] < 0 || shape[i] > Integer.MAX_VALUE) {
                    throw error(at, what + "dimension " + i + " is " + shape[i]
                            + "; expected 0.." + Integer.MAX_VALUE);
                }
                dims[i] = (int) shape[i];
                // Saturates at a count no array holds: both factors are at most 2^31, so the
                // product fits a long, and a later dimension of 0 still makes it 0.
                numel = Math.min(numel * shape[i], Integer.MAX_VALUE);
            }
            if (numel > Integer.MAX_VALUE - 8) {
                throw error(at, what + "shape " + Arrays.toString(dims) + " has "
                        + numel + " elements, more than a Java array holds");
            }
            long[] offsets = integers(info.get("data_offsets"), 2, what + "\"data_offsets\"", at);
            long begin = offsets[0];
            long end = offsets[1];
            if (begin < 0 || end < begin) {
                throw error(at, what + "data_offsets [" + begin + ", " + end
                        + "] must satisfy 0 <= begin <= end");
            }
            long expected = numel * dtype.byteSize();
            if (end - begin != expected) {
                throw error(at, what + "shape " + Arrays.toString(dims) + " of " + dtype
                        + " needs " + numel + " x " + dtype.byteSize() + " = " + expected
                        + " bytes but data_offsets [" + begin + ", " + end + "] span " + (end - begin));
            }
            if (end > bufferLength) {
                throw error(bufferStart + begin, what + "data_offsets [" + begin + ", " + end
                        + "] run past the end of the data buffer, which holds " + bufferLength
                        + " bytes (file bytes " + bufferStart + ".." + (bufferStart + bufferLength)
                        + "); the file may be truncated");
            }
            return new Located(TensorEntry.allocate(tensor, dtype, dims), begin, end);
        }

        /** A JSON array of integers; {@code length} -1 accepts any length. */
        private long[] integers(Object value, int length, String what, long at)
                throws SafeTensorsFormatException {
            if (!(value instanceof List<?> list) || (length >= 0 && list.size() != length)) {
                throw error(at, what + " must be an array of " + (length >= 0 ? length + " " : "")
                        + "integers, found " + (value == null ? "nothing" : value));
            }
            long[] out = new long[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Long n)) {
                    throw error(at, what + " must hold integers, found " + list.get(i));
                }
                out[i] = n;
            }
            return out;
        }

        /** The buffer must be tiled exactly: no two tensors share a byte, no byte is unused. */
        private void checkPacking(List<Located> located) throws SafeTensorsFormatException {
            List<Located> byOffset = new ArrayList<>(located);
            byOffset.sort(Comparator.comparingLong(Located::begin).thenComparingLong(Located::end));
            long expected = 0;
            String previous = null;
            for (Located l : byOffset) {
                String tensor = "tensor \"" + l.entry.name() + "\" at data_offsets [" + l.begin
                        + ", " + l.end + "]";
                if (l.begin < expected) {
                    throw error(bufferStart + l.begin, tensor + " overlaps tensor \"" + previous
                            + "\", which ends at buffer offset " + expected);
                }
                if (l.begin > expected) {
                    throw error(bufferStart + expected, tensor + " leaves a hole of "
                            + (l.begin - expected) + " unused bytes before it (buffer offsets "
                            + expected + ".." + l.begin + "); tensors must be packed");
                }
                expected = l.end;
                previous = l.entry.name();
            }
            if (expected != bufferLength) {
                throw error(bufferStart + expected, (bufferLength - expected)
                        + " trailing bytes after the last tensor: the header describes " + expected
                        + " data bytes but the file holds " + bufferLength);
            }
        }

        private void readValues(Located l) throws IOException {
            TensorEntry e = l.entry;
            int perChunk = CHUNK_BYTES / e.dtype().byteSize();
            long position = bufferStart + l.begin;
            for (int from = 0; from < e.numel(); from += perChunk) {
                int count = Math.min(perChunk, e.numel() - from);
                ByteBuffer bytes = readBytes(position, count * e.dtype().byteSize());
                e.decode(bytes.order(ByteOrder.LITTLE_ENDIAN), from, count);
                position += (long) count * e.dtype().byteSize();
            }
        }

        private ByteBuffer readBytes(long position, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw error(position + buffer.position(), "the file ended early (it changed"
                            + " while being read?); expected " + length + " bytes from byte " + position);
                }
            }
            return buffer.flip();
        }

        private String decodeUtf8(ByteBuffer bytes) throws SafeTensorsFormatException {
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            CharBuffer chars = CharBuffer.allocate(bytes.remaining());
            CoderResult result = decoder.decode(bytes, chars, true);
            if (result.isError()) {
                throw error(8 + bytes.position(), "the header is not valid UTF-8 ("
                        + result.length() + " malformed byte(s))");
            }
            decoder.flush(chars);
            return chars.flip().toString();
        }

        /** The file byte where character {@code index} of the header text starts. */
        private long fileOffset(int index) {
            return 8 + headerText.substring(0, Math.min(index, headerText.length()))
                    .getBytes(StandardCharsets.UTF_8).length;
        }

        private SafeTensorsFormatException error(long offset, String problem) {
            return new SafeTensorsFormatException(name, offset, problem);
        }
    }
}
