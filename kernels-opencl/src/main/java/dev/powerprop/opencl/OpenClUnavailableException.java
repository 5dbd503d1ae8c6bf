package dev.powerprop.opencl;

/**
 * No usable OpenCL device: the JOCL native library could not load, no ICD is installed, no
 * platform or device exists, or the chosen index is out of range. The message says which, so
 * a caller can log it and fall back to the CPU backend explicitly.
 */
public final class OpenClUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param reason what was missing, in words a user can act on */
    public OpenClUnavailableException(String reason) {
        super(reason);
    }

    /** @param reason what was missing; @param cause the JOCL or linkage error behind it */
    public OpenClUnavailableException(String reason, Throwable cause) {
        super(reason + ": " + cause, cause);
    }
}
