package io.polykube.api.error;

/** The root unchecked exception of the polykube API: its message says what went wrong and what to do. */
public class PolykubeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PolykubeException(String message) {
        super(message);
    }

    public PolykubeException(String message, Throwable cause) {
        super(message, cause);
    }
}
