package dev.powerprop.nn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads checkpoint/python_written.safetensors, written by the safetensors 0.8.0 Python library
 * (make_python_written.py beside it), and checks every value exactly.
 */
class SafeTensorsPythonFileTest {
    private static Path pythonFile;
    private static SafeTensorsFile file;

    @BeforeAll
    static void read() throws IOException, URISyntaxException {
        pythonFile = Path.of(SafeTensorsPythonFileTest.class
                .getResource("/checkpoint/python_written.safetensors").toURI());
        file = SafeTensors.read(pythonFile);
    }

    @Test
    void metadataWithEscapesAndNonAscii() {
        assertThat(file.metadata()).containsExactly(
                java.util.Map.entry("format", "np \"test\"\twith escapes\nand \u00e9 \u2713"));
    }

    @Test
    void float32ValuesIncludingSpecials() {
        TensorEntry w = file.get("dense.weight");
        assertThat(w.dtype()).isEqualTo(ElementType.F32);
        assertThat(w.shape()).containsExactly(2, 3);
        assertThat(w.floats()).containsExactly(-0.5f, -0.25f, 0f, 0.25f, 0.5f, 0.75f);

        float[] s = file.get("specials.f32").floats();
        assertThat(Float.floatToRawIntBits(s[0])).isEqualTo(0x80000000);
        assertThat(s[1]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(s[2]).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(s[3]).isNaN();
        assertThat(s[4]).isEqualTo(Float.MIN_VALUE);
        assertThat(s[5]).isEqualTo(Float.MAX_VALUE);
    }

    @Test
    void float64ScalarAndBlock() {
        TensorEntry scalar = file.get("scalar.f64");
        assertThat(scalar.shape()).isEmpty();
        assertThat(scalar.doubles()).containsExactly(Math.PI);

        TensorEntry block = file.get("block.f64");
        assertThat(block.shape()).containsExactly(2, 3, 4);
        double[] v = block.doubles();
        for (int i = 0; i < 24; i++) {
            assertThat(v[i]).isEqualTo((i - 12.0) / 8.0);
        }
    }

    @Test
    void integersAtTheirExtremes() {
        assertThat(file.get("csr.row_ptr").ints()).containsExactly(0, 2, 2, 5);
        assertThat(file.get("extremes.i32").ints())
                .containsExactly(Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE);
        TensorEntry i64 = file.get("extremes.i64");
        assertThat(i64.shape()).containsExactly(2, 2);
        assertThat(i64.longs()).containsExactly(Long.MIN_VALUE, -1L, 0L, Long.MAX_VALUE);
    }

    @Test
    void emptyTensor() {
        TensorEntry e = file.get("empty.f32");
        assertThat(e.shape()).containsExactly(0, 4);
        assertThat(e.numel()).isZero();
    }

    @Test
    void javaWritesTheSameBytesAsPython(@TempDir Path dir) throws IOException {
        Path copy = dir.resolve("java_written.safetensors");

        SafeTensors.write(copy, file.entries(), file.metadata());

        assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(pythonFile));
    }
}
