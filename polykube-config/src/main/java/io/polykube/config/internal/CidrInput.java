package io.polykube.config.internal;

import io.polykube.net.Cidr;

/**
 * A CIDR a builder was given: as text (parsed at {@code build()}, so the error names the field) or typed (used as it is).
 * Not public API.
 */
public record CidrInput(String text, Cidr value) {

    public static CidrInput of(String text) {
        return new CidrInput(text, null);
    }

    public static CidrInput of(Cidr value) {
        return new CidrInput(null, value);
    }

    /** The CIDR; text is parsed, a missing value is refused, each naming {@code field}. */
    public Cidr resolve(String field) {
        return value != null ? value : Check.cidr(field, text);
    }
}
