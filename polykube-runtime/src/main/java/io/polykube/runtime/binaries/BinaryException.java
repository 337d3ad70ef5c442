package io.polykube.runtime.binaries;

/**
 * Thrown when a binary cannot be found, verified, built or downloaded. The message says what is
 * wrong and how to fix it.
 */
public class BinaryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BinaryException(String message) {
        super(message);
    }

    public BinaryException(String message, Throwable cause) {
        super(message, cause);
    }
}
