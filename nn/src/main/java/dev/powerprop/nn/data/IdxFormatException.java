package dev.powerprop.nn.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not the IDX file it should be: the message names the file, the byte offset
 * where reading went wrong (counted in the uncompressed IDX bytes) and what was expected there.
 */
public final class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public IdxFormatException(Path file, long offset, String problem) {
        super(file + ": at byte " + offset + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    /** The file that failed to parse. */
    public Path file() {
        return file;
    }

    /** The byte offset in the uncompressed IDX data where the problem was found. */
    public long offset() {
        return offset;
    }
}
