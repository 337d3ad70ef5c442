package io.polykube.runtime;

/**
 * The unchecked root exception of process supervision and probing. Its message says what went
 * wrong and, where possible, how to fix it.
 */
public class ProcessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProcessException(String message) {
        super(message);
    }

    public ProcessException(String message, Throwable cause) {
        super(message, cause);
    }
}
