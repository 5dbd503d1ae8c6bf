package dev.powerprop.nn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsAtomicWriteTest {
    @TempDir
    Path dir;

    private static final List<TensorEntry> OLD = List.of(TensorEntry.ofFloats("w", new float[] {1, 2}, 2));
    private static final List<TensorEntry> NEW = List.of(
            TensorEntry.ofFloats("w", new float[300_000], 300_000),
            TensorEntry.ofInts("i", new int[] {7}, 1));

    @Test
    void aSuccessfulWriteLeavesOnlyTheTarget() throws IOException {
        Path target = dir.resolve("model.safetensors");
        SafeTensors.write(target, OLD, Map.of());
        SafeTensors.write(target, NEW, Map.of());

        assertThat(listing()).containsExactly("model.safetensors");
        assertThat(SafeTensors.read(target).entries()).containsExactlyElementsOf(
                List.of(NEW.get(0), NEW.get(1)));
    }

    @Test
    void aWriteThatFailsMidwayKeepsTheOldFileAndLeavesNoTemporary() throws IOException {
        Path target = dir.resolve("model.safetensors");
        SafeTensors.write(target, OLD, Map.of());
        byte[] before = Files.readAllBytes(target);

        assertThatThrownBy(() -> SafeTensors.write(target, NEW, Map.of(), failAfter(100_000)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("writing checkpoint " + target.toAbsolutePath() + " failed")
                .hasMessageContaining("disk full (simulated)")
                .hasMessageContaining("any previous file there is unchanged");

        assertThat(Files.readAllBytes(target)).isEqualTo(before);
        assertThat(listing()).containsExactly("model.safetensors");
    }

    @Test
    void aFailedRenameLeavesNoTemporary() throws IOException {
        Path target = dir.resolve("occupied");
        Files.createDirectories(target.resolve("child"));

        assertThatThrownBy(() -> SafeTensors.write(target, OLD, Map.of())).isInstanceOf(IOException.class)
                .hasMessageContaining(target.toString());
        assertThat(listing()).containsExactly("occupied");
        assertThat(target.resolve("child")).isDirectory();
    }

    @Test
    void aMissingFolderIsAnErrorNamingTheTarget() {
        Path target = dir.resolve("no/such/folder/model.safetensors");

        assertThatThrownBy(() -> SafeTensors.write(target, OLD, Map.of())).isInstanceOf(IOException.class)
                .hasMessageContaining(target.toString());
    }

    @Test
    void anUnwritableFolderKeepsTheOldFile() throws IOException {
        Path target = dir.resolve("model.safetensors");
        SafeTensors.write(target, OLD, Map.of());
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeTrue(!Files.isWritable(dir), "running with rights that ignore folder permissions (root)");
            assertThatThrownBy(() -> SafeTensors.write(target, NEW, Map.of())).isInstanceOf(IOException.class)
                    .hasMessageContaining(target.toString());
            assertThat(SafeTensors.read(target).entries()).containsExactlyElementsOf(OLD);
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertThat(listing()).containsExactly("model.safetensors");
    }

    @Test
    void theCheckpointGetsOrdinaryFilePermissions() throws IOException {
        Path target = dir.resolve("model.safetensors");
        Path plain = Files.createFile(dir.resolve("plain"));
        SafeTensors.write(target, OLD, Map.of());

        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A channel that accepts {@code limit} bytes and then fails as a full disk would. */
    private static java.util.function.UnaryOperator<WritableByteChannel> failAfter(long limit) {
        return channel -> new WritableByteChannel() {
            private long written;

            @Override
            public int write(ByteBuffer src) throws IOException {
                if (written + src.remaining() > limit) {
                    throw new IOException("disk full (simulated)");
                }
                int n = channel.write(src);
                written += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return channel.isOpen();
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
