package io.polykube.pki;

/**
 * The one unchecked exception of polykube-pki. Its message says what is wrong and how to fix it.
 */
public class PkiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
