package io.polykube.net;

import java.util.Objects;

/** A network or address that cannot be parsed or used; {@link #field()} names the option that holds it. */
public final class CidrException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public CidrException(String field, String message) {
        super(field + ": " + message);
        this.field = Objects.requireNonNull(field, "field");
    }

    /** The option or field that holds the bad value, for example {@code node podCidr}. */
    public String field() {
        return field;
    }
}
