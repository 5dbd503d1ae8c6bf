package dev.powerprop.cli;

/** A mistake the user can fix (bad option combination, wrong file): shown as one line, exit code 2. */
public final class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }
}
