package dev.powerprop.nn.data;

import dev.powerprop.nn.io.FileFormatException;
import java.nio.file.Path;

/** A file that is not the IDX file it should be; the offset counts the uncompressed IDX bytes. */
public final class IdxFormatException extends FileFormatException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public IdxFormatException(Path file, long offset, String problem) {
        super(String.valueOf(file), offset, problem);
        this.file = file;
    }

    /** The file that failed to parse. */
    public Path file() {
        return file;
    }
}
