package dev.powerprop.nn.checkpoint;

import java.io.IOException;

/**
 * A file that is not a valid safetensors file: the message names the file, the byte offset in
 * the file where the problem is, and what was expected there.
 */
public final class SafeTensorsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long offset;

    public SafeTensorsFormatException(String file, long offset, String problem) {
        super(file + ": at byte " + offset + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    /** The file (or other source) that failed to parse. */
    public String file() {
        return file;
    }

    /** The byte offset in the file where the problem was found. */
    public long offset() {
        return offset;
    }
}
