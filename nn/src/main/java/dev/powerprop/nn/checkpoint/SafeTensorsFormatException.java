package dev.powerprop.nn.checkpoint;

import dev.powerprop.nn.io.FileFormatException;

/** A file that is not a valid safetensors file; the offset is in the file's bytes. */
public final class SafeTensorsFormatException extends FileFormatException {
    private static final long serialVersionUID = 1L;

    private final String file;

    public SafeTensorsFormatException(String file, long offset, String problem) {
        super(file, offset, problem);
        this.file = file;
    }

    /** The file (or other source) that failed to parse. */
    public String file() {
        return file;
    }
}
