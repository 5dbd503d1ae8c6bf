package dev.powerprop.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks, before any long work starts, that results can be written where the user asked. */
final class OutputFolder {
    private OutputFolder() {}

    /** Creates {@code dir} if needed and fails now, with a clear message, if it cannot be written. */
    static void prepare(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserException("output folder " + dir + " exists and is not a folder");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserException("cannot create output folder " + dir + ": " + Main.userMessage(e));
        }
        Path probe = null;
        try {
            probe = Files.createTempFile(dir, ".write-check", ".tmp");
        } catch (IOException e) {
            throw new UserException("output folder " + dir + " is not writable: " + Main.userMessage(e));
        } finally {
            if (probe != null) {
                Files.deleteIfExists(probe);
            }
        }
    }

    /** Checks that {@code file} is not a folder and that its folder exists and is writable. */
    static void prepareFor(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new UserException("output file " + file + " is a folder");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            prepare(parent);
        }
    }
}
