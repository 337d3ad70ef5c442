package io.polykube.runtime.binaries;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes and etcd versions to use, as {@code MAJOR.MINOR.PATCH} without a leading
 * {@code v} (e.g. {@code 1.34.4}, {@code 3.6.16}).
 *
 * @param kubernetes Kubernetes version (major 1)
 * @param etcd       etcd version (major 3)
 */
public record BinaryVersions(String kubernetes, String etcd) {

    static final String RESOURCE = "io/polykube/runtime/binaries/versions.properties";
    static final String KUBERNETES_KEY = "polykube.kubernetes.version";
    static final String ETCD_KEY = "polykube.etcd.version";

    private static final Pattern SEMVER = Pattern.compile("(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)");

    public BinaryVersions {
        kubernetes = validate("kubernetes", kubernetes, 1, "1.34.4");
        etcd = validate("etcd", etcd, 3, "3.6.16");
    }

    /** Same as the constructor. */
    public static BinaryVersions of(String kubernetes, String etcd) {
        return new BinaryVersions(kubernetes, etcd);
    }

    /** The versions this build of polykube pins (the parent pom's {@code polykube.*.version}). */
    public static BinaryVersions defaults() {
        Properties properties = new Properties();
        try (InputStream in = BinaryVersions.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new BinaryException("resource " + RESOURCE + " is missing from the classpath: "
                        + "build polykube-runtime with Maven (mvn -pl polykube-runtime package)");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new BinaryException("cannot read resource " + RESOURCE + ": " + e.getMessage(), e);
        }
        return fromProperties(properties, "resource " + RESOURCE);
    }

    static BinaryVersions fromProperties(Properties properties, String origin) {
        String kubernetes = property(properties, KUBERNETES_KEY, origin);
        String etcd = property(properties, ETCD_KEY, origin);
        try {
            return new BinaryVersions(kubernetes, etcd);
        } catch (BinaryException e) {
            throw new BinaryException(e.getMessage() + " (from " + origin + ")", e);
        }
    }

    private static String property(Properties properties, String key, String origin) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new BinaryException(origin + " has no " + key);
        }
        value = value.trim();
        if (value.contains("${")) {
            throw new BinaryException(origin + " has " + key + "=" + value
                    + ", which Maven did not filter: build polykube-runtime with Maven so the parent pom's "
                    + key + " is filled in");
        }
        return value;
    }

    /** Kubernetes with another version. */
    public BinaryVersions withKubernetes(String version) {
        return new BinaryVersions(version, etcd);
    }

    /** etcd with another version. */
    public BinaryVersions withEtcd(String version) {
        return new BinaryVersions(kubernetes, version);
    }

    /** The Kubernetes minor version, e.g. {@code 34} for {@code 1.34.4}. */
    public int kubernetesMinor() {
        return Integer.parseInt(kubernetes.split("\\.")[1]);
    }

    /** The Kubernetes patch version, e.g. {@code 4} for {@code 1.34.4}. */
    public int kubernetesPatch() {
        return Integer.parseInt(kubernetes.split("\\.")[2]);
    }

    private static String validate(String what, String version, int major, String example) {
        Objects.requireNonNull(version, what + " version");
        String trimmed = version.trim();
        Matcher m = SEMVER.matcher(trimmed);
        if (!m.matches()) {
            String hint = trimmed.startsWith("v") ? " (write it without the leading 'v')" : "";
            throw new BinaryException("invalid " + what + " version '" + version + "': expected MAJOR.MINOR.PATCH such as "
                    + example + hint);
        }
        if (Integer.parseInt(m.group(1)) != major) {
            throw new BinaryException("unsupported " + what + " version '" + version + "': polykube knows " + what + " "
                    + major + ".x only (e.g. " + example + ")");
        }
        return trimmed;
    }
}
