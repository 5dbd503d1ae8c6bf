package dev.powerprop.nn.data;

import static dev.powerprop.nn.data.IdxTestFiles.gzip;
import static dev.powerprop.nn.data.IdxTestFiles.idx;
import static dev.powerprop.nn.data.IdxTestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
    @TempDir
    Path dir;

    private static final byte[] DATA = {0, 1, 2, (byte) 128, (byte) 254, (byte) 255};

    @Test
    void readsRawFileWithDimsAndUnsignedBytes() throws IOException {
        IdxFile f = IdxFile.read(write(dir.resolve("a"), idx(new int[] {2, 3}, DATA)));

        assertThat(f.dims()).containsExactly(2, 3);
        assertThat(f.rank()).isEqualTo(2);
        assertThat(f.unsignedByte(3)).isEqualTo(128);
        assertThat(f.unsignedByte(5)).isEqualTo(255);
    }

    @Test
    void detectsGzipByMagicNotByName() throws IOException {
        IdxFile raw = IdxFile.read(write(dir.resolve("raw"), idx(new int[] {6}, DATA)));
        IdxFile gzipNamedPlain = IdxFile.read(write(dir.resolve("plain-name"), gzip(idx(new int[] {6}, DATA))));
        IdxFile rawNamedGz = IdxFile.read(write(dir.resolve("raw.gz"), idx(new int[] {6}, DATA)));

        assertThat(gzipNamedPlain).isEqualTo(raw);
        assertThat(rawNamedGz).isEqualTo(raw);
    }

    @Test
    void rejectsAMagicWithoutTwoZeroBytes() throws IOException {
        byte[] bytes = idx(new int[] {6}, DATA);
        bytes[1] = 8;
        Path file = write(dir.resolve("bad-magic"), bytes);

        assertThatThrownBy(() -> IdxFile.read(file)).isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("at byte 0")
                .hasMessageContaining("two zero bytes");
    }

    @Test
    void rejectsOtherElementTypesByName() throws IOException {
        Path file = write(dir.resolve("floats"), idx(0x0D, new int[] {1}, new byte[4]));

        assertThatThrownBy(() -> IdxFile.read(file)).isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("at byte 2")
                .hasMessageContaining("0x0d (float32) is not supported")
                .hasMessageContaining("expected 0x08 (unsigned byte)");
    }

    @Test
    void rejectsRankZero() throws IOException {
        Path file = write(dir.resolve("rank0"), idx(new int[0], new byte[0]));

        assertThatThrownBy(() -> IdxFile.read(file)).hasMessageContaining("at byte 3")
                .hasMessageContaining("rank 0");
    }

    @Test
    void rejectsZeroAndNegativeDimensions() throws IOException {
        Path zero = write(dir.resolve("zero"), idx(new int[] {2, 0}, new byte[0]));
        Path negative = write(dir.resolve("negative"), idx(new int[] {-5}, new byte[0]));

        assertThatThrownBy(() -> IdxFile.read(zero)).hasMessageContaining("at byte 8")
                .hasMessageContaining("dimension 1 is 0; expected a positive size");
        assertThatThrownBy(() -> IdxFile.read(negative)).hasMessageContaining("dimension 0 is -5");
    }

    @Test
    void rejectsAbsurdDimensionsWithoutAllocatingThem() throws IOException {
        Path file = write(dir.resolve("huge"), idx(new int[] {100_000, 100_000}, DATA));

        assertThatThrownBy(() -> IdxFile.read(file)).hasMessageContaining("at byte 8")
                .hasMessageContaining("not a plausible IDX file");
    }

    @Test
    void truncatedDataNamesFileOffsetAndExpectedLength() throws IOException {
        byte[] full = idx(new int[] {2, 3}, DATA);
        Path file = write(dir.resolve("cut"), Arrays.copyOf(full, full.length - 2));

        assertThatThrownBy(() -> IdxFile.read(file)).isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("at byte 16")
                .hasMessageContaining("truncated")
                .hasMessageContaining("need 6 data bytes from byte 12 (18 in all)");
    }

    @Test
    void truncatedInsideTheHeaderSaysWhere() throws IOException {
        byte[] full = idx(new int[] {2, 3}, DATA);
        Path inMagic = write(dir.resolve("magic"), Arrays.copyOf(full, 3));
        Path inDims = write(dir.resolve("dims"), Arrays.copyOf(full, 10));

        assertThatThrownBy(() -> IdxFile.read(inMagic)).hasMessageContaining("at byte 3")
                .hasMessageContaining("inside the 4-byte IDX magic");
        assertThatThrownBy(() -> IdxFile.read(inDims)).hasMessageContaining("at byte 10")
                .hasMessageContaining("inside dimension 1 of 2");
    }

    @Test
    void trailingBytesAreAnError() throws IOException {
        byte[] full = idx(new int[] {6}, DATA);
        Path file = write(dir.resolve("long"), ByteBuffer.allocate(full.length + 3).put(full).array());

        assertThatThrownBy(() -> IdxFile.read(file)).isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("at byte 14").hasMessageContaining("3 trailing byte(s)");
    }

    @Test
    void trailingBytesInsideGzipAreAnErrorToo() throws IOException {
        byte[] full = idx(new int[] {6}, DATA);
        Path file = write(dir.resolve("long.gz"), gzip(Arrays.copyOf(full, full.length + 1)));

        assertThatThrownBy(() -> IdxFile.read(file)).hasMessageContaining("1 trailing byte(s)");
    }

    @Test
    void aCutGzipStreamNamesTheFile() throws IOException {
        byte[] gz = gzip(IdxTestFiles.images(20, 28, 28));
        Path file = write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));

        assertThatThrownBy(() -> IdxFile.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString());
    }
}
