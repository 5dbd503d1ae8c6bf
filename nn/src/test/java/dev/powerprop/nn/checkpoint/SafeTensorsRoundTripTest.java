package dev.powerprop.nn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.powerprop.engine.DType;
import dev.powerprop.engine.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsRoundTripTest {
    @TempDir
    Path dir;

    private static final List<TensorEntry> ALL_DTYPES = List.of(
            TensorEntry.ofFloats("w", new float[] {1.5f, -0.0f, Float.NaN, Float.MIN_VALUE, Float.MAX_VALUE,
                    Float.NEGATIVE_INFINITY}, 2, 3),
            TensorEntry.ofDoubles("d", new double[] {Math.PI, -1e-300, Double.MAX_VALUE, 0.1}, 4, 1),
            TensorEntry.ofInts("i", new int[] {Integer.MIN_VALUE, -1, 0, 7, Integer.MAX_VALUE}, 5),
            TensorEntry.ofLongs("l", new long[] {Long.MIN_VALUE, -1L, 1L << 40, Long.MAX_VALUE}, 2, 2),
            TensorEntry.ofFloats("scalar.f32", new float[] {42f}),
            TensorEntry.ofDoubles("scalar.f64", new double[] {-2.5}),
            TensorEntry.ofInts("scalar.i32", new int[] {-3}),
            TensorEntry.ofLongs("scalar.i64", new long[] {9L}),
            TensorEntry.ofFloats("empty.f32", new float[0], 0),
            TensorEntry.ofDoubles("empty.f64", new double[0], 3, 0),
            TensorEntry.ofInts("empty.i32", new int[0], 0, 0),
            TensorEntry.ofLongs("empty.i64", new long[0], 1, 0, 2));

    @Test
    void everyDtypeIncludingScalarsAndEmptyTensorsRoundTripsExactly() throws IOException {
        Path file = dir.resolve("all.safetensors");
        Map<String, String> metadata = Map.of("alpha", "2", "note", "quote \" slash \\ tab \t é ✓ \u0001");

        SafeTensors.write(file, ALL_DTYPES, metadata);
        SafeTensorsFile read = SafeTensors.read(file);

        assertThat(read.metadata()).isEqualTo(metadata);
        assertThat(read.names()).containsExactlyInAnyOrderElementsOf(
                ALL_DTYPES.stream().map(TensorEntry::name).toList());
        for (TensorEntry e : ALL_DTYPES) {
            assertThat(read.get(e.name())).isEqualTo(e);
            assertThat(read.get(e.name()).shape()).containsExactly(e.shape());
        }
        assertThat(read.get("scalar.f32").shape()).isEmpty();
        assertThat(Float.floatToRawIntBits(read.get("w").floats()[1])).isEqualTo(0x80000000);
    }

    @Test
    void tensorsConvertBothWays() throws IOException {
        Tensor f32 = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor f64 = Tensor.ofDoubles(new double[] {0.1, 0.2}, 2);
        Path file = dir.resolve("t.safetensors");

        SafeTensors.write(file, List.of(TensorEntry.of("a", f32), TensorEntry.of("b", f64)), Map.of());
        SafeTensorsFile read = SafeTensors.read(file);

        Tensor a = read.tensor("a");
        assertThat(a.dtype()).isEqualTo(DType.F32);
        assertThat(a.shape()).isEqualTo(f32.shape());
        assertThat(a.data()).containsExactly(f32.data());
        assertThat(read.tensor("b").doubles()).containsExactly(0.1, 0.2);
        assertThat(read.metadata()).isEmpty();
        assertThatThrownBy(() -> read.get("c")).hasMessageContaining("no tensor \"c\"")
                .hasMessageContaining("it holds [b, a]");
    }

    @Test
    void integerEntriesAreNotTensors() {
        TensorEntry idx = TensorEntry.ofInts("fc1.col_idx", new int[] {0, 2}, 2);

        assertThatThrownBy(idx::toTensor).hasMessageContaining("holds I32 integers; read them with ints()");
        assertThatThrownBy(idx::floats).hasMessageContaining("holds I32, not F32");
    }

    @Test
    void entriesAreImmutableCopies() {
        float[] values = {1, 2};
        TensorEntry e = TensorEntry.ofFloats("x", values, 2);
        values[0] = 99;
        e.floats()[1] = 99;

        assertThat(e.floats()).containsExactly(1, 2);
        assertThatThrownBy(() -> TensorEntry.ofFloats("x", values, 3))
                .hasMessageContaining("2 values but shape [3] needs 3");
        assertThatThrownBy(() -> TensorEntry.ofFloats("__metadata__", values, 2))
                .hasMessageContaining("reserved");
    }

    @Test
    void headerIsPaddedWithSpacesToAMultipleOf8AndLaidOutAsThePythonLibraryDoes() throws IOException {
        Path file = dir.resolve("layout.safetensors");
        SafeTensors.write(file, ALL_DTYPES, Map.of());

        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);

        assertThat(n % 8).isZero();
        assertThat(header).startsWith("{\"empty.i64\":{\"dtype\":\"I64\",\"shape\":[1,0,2],\"data_offsets\":[0,0]},"
                + "\"l\":{\"dtype\":\"I64\",\"shape\":[2,2],\"data_offsets\":[0,32]}");
        assertThat(header.strip()).endsWith("}");
        assertThat(header.substring(header.strip().length())).isBlank();
        assertThat(SafeTensors.read(file).entries()).extracting(TensorEntry::name).containsExactly(
                "empty.i64", "l", "scalar.i64", "d", "empty.f64", "scalar.f64",
                "empty.f32", "scalar.f32", "w", "empty.i32", "i", "scalar.i32");
    }

    @Test
    void duplicateNamesAreRefusedBeforeAnythingIsWritten() {
        Path file = dir.resolve("dup.safetensors");
        List<TensorEntry> twice = List.of(TensorEntry.ofInts("x", new int[] {1}, 1),
                TensorEntry.ofFloats("x", new float[] {1}, 1));

        assertThatThrownBy(() -> SafeTensors.write(file, twice, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two tensors are named \"x\"");
        assertThat(file).doesNotExist();
    }

    @Test
    void aLoneSurrogateInANameOrMetadataIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path file = dir.resolve("surrogate.safetensors");
        List<TensorEntry> lone = List.of(TensorEntry.ofInts("w\uD800", new int[] {1}, 1));
        assertThatThrownBy(() -> SafeTensors.write(file, lone, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lone UTF-16 surrogate");
        List<TensorEntry> fine = List.of(TensorEntry.ofInts("w\uD83D\uDE00", new int[] {1}, 1)); // a paired one
        assertThatThrownBy(() -> SafeTensors.write(file, fine, Map.of("k", "\uDC00")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lone UTF-16 surrogate");
        assertThat(file).doesNotExist();
        SafeTensors.write(file, fine, Map.of());
        assertThat(SafeTensors.read(file).names()).containsExactly("w\uD83D\uDE00");
    }

    @Test
    void anEmptyCheckpointIsValid() throws IOException {
        Path file = dir.resolve("empty.safetensors");
        SafeTensors.write(file, List.of(), Map.of());

        assertThat(Files.readAllBytes(file)).hasSize(16);
        assertThat(SafeTensors.read(file).entries()).isEmpty();
    }
}
