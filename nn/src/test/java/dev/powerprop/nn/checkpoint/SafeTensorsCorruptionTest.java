package dev.powerprop.nn.checkpoint;

import static dev.powerprop.nn.checkpoint.SafeTensorsTestFiles.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a safetensors file can be broken gives an error naming the file, offset and problem. */
class SafeTensorsCorruptionTest {
    @TempDir
    Path dir;

    private byte[] valid;
    private long headerLength;

    @BeforeEach
    void writeValid() throws IOException {
        Path p = dir.resolve("valid.safetensors");
        SafeTensors.write(p, List.of(TensorEntry.ofFloats("a", new float[] {1, 2, 3}, 3),
                TensorEntry.ofLongs("b", new long[] {4, 5}, 2)), Map.of("k", "v"));
        valid = Files.readAllBytes(p);
        headerLength = ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void aFileShorterThanTheLengthPrefix() {
        for (int size : new int[] {0, 1, 7}) {
            assertRead(Arrays.copyOf(valid, size)).hasMessageContaining("at byte 0")
                    .hasMessageContaining("the file is " + size + " bytes long");
        }
    }

    @Test
    void truncationAnywhereIsReported() {
        // In the header, at the header's end, in the data, one byte short.
        for (long size : new long[] {8, 20, 8 + headerLength - 1, 8 + headerLength, 8 + headerLength + 5,
                valid.length - 1}) {
            assertRead(Arrays.copyOf(valid, (int) size)).isInstanceOf(SafeTensorsFormatException.class)
                    .satisfiesAnyOf(
                            e -> assertThat(e).hasMessageContaining("runs past the end of the file"),
                            e -> assertThat(e).hasMessageContaining("run past the end of the data buffer"));
        }
        assertRead(Arrays.copyOf(valid, valid.length - 1)).hasMessageContaining("the file may be truncated");
    }

    @Test
    void anAbsurdHeaderLength() {
        byte[] bytes = valid.clone();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 200_000_000L);
        assertRead(bytes).hasMessageContaining("header length 200000000 is larger than the 100000000-byte limit");

        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        assertRead(bytes).hasMessageContaining("header length 18446744073709551615");
    }

    @Test
    void malformedJsonSaysAtWhichCharacterAndByte() {
        byte[] bytes = valid.clone();
        bytes[8 + 1] = 'X'; // the opening quote of the first key
        assertRead(bytes).hasMessageContaining("at byte 9:")
                .hasMessageContaining("header JSON is malformed at character 1: expected a string key, found 'X'");

        assertRead(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}", new byte[4]))
                .hasMessageContaining("expected ',' or '}' in an object, found the end of the text");
    }

    @Test
    void invalidUtf8InTheHeader() {
        byte[] bytes = valid.clone();
        bytes[8 + 3] = (byte) 0xC3;
        bytes[8 + 4] = (byte) 0x28;
        assertRead(bytes).hasMessageContaining("at byte 11").hasMessageContaining("not valid UTF-8");
    }

    @Test
    void flippingHeaderBytesNeverGoesUnnoticed() throws IOException {
        Path p = dir.resolve("flipped.safetensors");
        for (int i = 8; i < 8 + headerLength; i++) {
            byte[] bytes = valid.clone();
            bytes[i] ^= 0x01;
            Files.write(p, bytes);
            int at = i;
            try {
                SafeTensorsFile f = SafeTensors.read(p);
                // A flip inside a name or metadata string can still give a valid file; then it must
                // differ from the original in a name, a value or the metadata.
                assertThat(f.names().equals(java.util.Set.of("a", "b")) && f.metadata().equals(Map.of("k", "v")))
                        .as("flip at byte %d went unnoticed", at).isFalse();
            } catch (SafeTensorsFormatException e) {
                assertThat(e.getMessage()).startsWith(p.toString());
            }
        }
    }

    @Test
    void unknownAndUnsupportedDtypes() {
        assertRead(file("{\"a\":{\"dtype\":\"F33\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]))
                .hasMessageContaining("at byte 9").hasMessageContaining("tensor \"a\": unknown dtype \"F33\"")
                .hasMessageContaining("supported: I32, F32, F64, I64");
        assertRead(file("{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", new byte[4]))
                .hasMessageContaining("\"BF16\" is a safetensors dtype this library does not support");
    }

    @Test
    void shapeAndOffsetsMustAgree() {
        assertRead(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", new byte[20]))
                .hasMessageContaining("shape [2, 3] of F32 needs 6 x 4 = 24 bytes but data_offsets [0, 20] span 20");
    }

    @Test
    void malformedEntryFields() {
        assertRead(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", new byte[0]))
                .hasMessageContaining("dimension 0 is -1");
        assertRead(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}", new byte[4]))
                .hasMessageContaining("\"data_offsets\" must be an array of 2 integers");
        assertRead(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", new byte[4]))
                .hasMessageContaining("must satisfy 0 <= begin <= end");
        assertRead(file("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]))
                .hasMessageContaining("\"dtype\" must be a string");
        assertRead(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":[]}}", new byte[4]))
                .hasMessageContaining("unexpected field \"x\"");
        assertRead(file("{\"a\":[]}", new byte[0])).hasMessageContaining("expected an object");
        assertRead(file("[]", new byte[0])).hasMessageContaining("the header must be a JSON object");
        assertRead(file("{\"__metadata__\":{\"k\":1}}", new byte[0]))
                .hasMessageContaining("metadata value of \"k\" must be a string");
        assertRead(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,4]}}", new byte[4]))
                .hasMessageContaining("more than a Java array holds");
        // 2^63 + 2 elements: a 64-bit product that wraps to 2, which times 4 bytes is the buffer.
        assertRead(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,5,5581,8681,49477,384773],"
                + "\"data_offsets\":[0,8]}}", new byte[8])).hasMessageContaining("more than a Java array holds");
    }

    @Test
    void aFolderIsNamedAsNotAFile() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("checkpoints"));
        assertThatThrownBy(() -> SafeTensors.read(folder)).isInstanceOf(IOException.class)
                .hasMessageContaining(folder + " is a folder");
    }

    @Test
    void offsetsOutsideTheBuffer() {
        assertRead(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[8]))
                .hasMessageContaining("data_offsets [4, 12] run past the end of the data buffer, which holds 8 bytes");
    }

    @Test
    void overlappingTensors() {
        String h = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertRead(file(h, new byte[12]))
                .hasMessageContaining("tensor \"b\" at data_offsets [4, 12] overlaps tensor \"a\"");
    }

    @Test
    void holesBetweenTensors() {
        String h = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        byte[] bytes = file(h, new byte[12]);
        assertRead(bytes).hasMessageContaining("at byte " + (bytes.length - 12 + 4))
                .hasMessageContaining("leaves a hole of 4 unused bytes");
    }

    @Test
    void trailingBytesAfterTheLastTensor() {
        byte[] bytes = Arrays.copyOf(valid, valid.length + 3);
        assertRead(bytes).hasMessageContaining("at byte " + valid.length)
                .hasMessageContaining("3 trailing bytes after the last tensor");
    }

    @Test
    void duplicateNames() {
        String h = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        assertRead(file(h, new byte[8])).hasMessageContaining("duplicate key \"a\"");
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRead(byte[] bytes) {
        Path p = dir.resolve("broken.safetensors");
        try {
            Files.write(p, bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return assertThatThrownBy(() -> SafeTensors.read(p)).isInstanceOf(SafeTensorsFormatException.class)
                .hasMessageStartingWith(p + ": at byte ");
    }
}
