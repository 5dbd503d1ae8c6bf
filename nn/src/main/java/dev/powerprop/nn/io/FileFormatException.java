package dev.powerprop.nn.io;

import java.io.IOException;

/**
 * A file that is not what it should be: the message names the file, the byte offset where the
 * problem is, and what was expected there ("data.idx: at byte 16: expected 784 bytes, got 12").
 */
public abstract class FileFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    protected FileFormatException(String file, long offset, String problem) {
        super(file + ": at byte " + offset + ": " + problem);
        this.offset = offset;
    }

    /** The byte offset where the problem was found. */
    public long offset() {
        return offset;
    }
}
