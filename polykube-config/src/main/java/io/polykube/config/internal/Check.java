package io.polykube.config.internal;

import io.polykube.config.ConfigException;
import io.polykube.net.Cidr;
import io.polykube.net.CidrException;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Validation helpers shared by the renderers. Not public API. */
public final class Check {
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private Check() {
    }

    /** {@link Cidr#parse}, failing with the {@link ConfigException} that names {@code field}. */
    public static Cidr cidr(String field, String text) {
        try {
            return Cidr.parse(field, text);
        } catch (CidrException e) {
            throw new ConfigException(field, e.getMessage().substring(field.length() + 2));
        }
    }

    /** {@link Cidr#parseAddress}, failing with the {@link ConfigException} that names {@code field}. */
    public static InetAddress ipAddress(String field, String text) {
        try {
            return Cidr.parseAddress(field, text);
        } catch (CidrException e) {
            throw new ConfigException(field, e.getMessage().substring(field.length() + 2));
        }
    }

    public static <T> T required(String field, T value) {
        if (value == null) {
            throw new ConfigException(field, "is required");
        }
        return value;
    }

    public static String notBlank(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(field, "is required and must not be blank");
        }
        return value;
    }

    public static Path absolute(String field, Path path) {
        required(field, path);
        if (!path.isAbsolute()) {
            throw new ConfigException(field, "must be an absolute path, got '" + path
                    + "' (components run with another working directory)");
        }
        return path.normalize();
    }

    public static Path absoluteOrNull(String field, Path path) {
        return path == null ? null : absolute(field, path);
    }

    public static int port(String field, int port) {
        if (port < 1 || port > 65535) {
            throw new ConfigException(field, "port " + port + " is out of range 1..65535");
        }
        return port;
    }

    public static int positive(String field, int value) {
        if (value <= 0) {
            throw new ConfigException(field, "must be positive, got " + value);
        }
        return value;
    }

    /** A lower-case RFC 1123 subdomain, as Kubernetes requires for names and domains. */
    public static String dnsSubdomain(String field, String value) {
        notBlank(field, value);
        if (value.length() > 253 || !DNS_SUBDOMAIN.matcher(value).matches()) {
            throw new ConfigException(field, "'" + value
                    + "' is not a DNS subdomain (lower-case letters, digits, '-' and '.')");
        }
        return value;
    }

    /** {@code address:port}, with IPv6 addresses in brackets. */
    public static String hostPort(InetAddress address, int port) {
        String host = address.getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Reads a PEM file that is to be embedded; a missing file is an error naming {@code field}. */
    public static String readPem(String field, Path file) {
        absolute(field, file);
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(field, "cannot embed " + file + ": the file does not exist");
        }
        try {
            String pem = Files.readString(file, StandardCharsets.US_ASCII);
            return pem(field + " (" + file + ")", pem);
        } catch (IOException e) {
            throw new ConfigException(field, "cannot read " + file, e);
        }
    }

    /** Checks that {@code pem} holds at least one PEM block. */
    public static String pem(String field, String pem) {
        notBlank(field, pem);
        if (!pem.contains("-----BEGIN ") || !pem.contains("-----END ")) {
            throw new ConfigException(field, "is not PEM data (no -----BEGIN/-----END block)");
        }
        return pem;
    }
}
