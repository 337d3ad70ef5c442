package io.polykube.config;

import java.util.Objects;

/**
 * The one unchecked exception of polykube-config: a value that cannot be rendered, or a file that
 * cannot be read or written. {@link #field()} names the field that is wrong (for example
 * {@code cni.subnets[0].gateway}), so a caller can point the user at it.
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public ConfigException(String field, String message) {
        super(field + ": " + message);
        this.field = Objects.requireNonNull(field, "field");
    }

    public ConfigException(String field, String message, Throwable cause) {
        super(field + ": " + message + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"), cause);
        this.field = Objects.requireNonNull(field, "field");
    }

    /** The field (or file) that is wrong, in dotted form. */
    public String field() {
        return field;
    }
}
