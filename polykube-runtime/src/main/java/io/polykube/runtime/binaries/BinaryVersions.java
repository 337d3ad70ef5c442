package io.polykube.runtime.binaries;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes, etcd and CoreDNS versions to build and run together, as {@code MAJOR.MINOR.PATCH} without a leading
 * {@code v} (e.g. {@code 1.34.4}, {@code 3.6.16}, {@code 1.14.1}). Made from the table of known versions
 * ({@link #defaults()}, {@link #forKubernetes}, {@link KnownVersions}); {@link #of} takes any three versions, unchecked
 * against the table.
 *
 * @param kubernetes Kubernetes version (major 1)
 * @param etcd       etcd version (major 3)
 * @param coreDns    CoreDNS version (major 1)
 */
public record BinaryVersions(String kubernetes, String etcd, String coreDns) {

    private static final Pattern SEMVER = Pattern.compile("(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)");

    public BinaryVersions {
        kubernetes = checkFormat("kubernetes", kubernetes, 1);
        etcd = checkFormat("etcd", etcd, 3);
        coreDns = checkFormat("coredns", coreDns, 1);
    }

    /** Same as the constructor: any three versions, not checked against the table of known versions. */
    public static BinaryVersions of(String kubernetes, String etcd, String coreDns) {
        return new BinaryVersions(kubernetes, etcd, coreDns);
    }

    /** The versions of the default Kubernetes ({@link KnownVersions#DEFAULT_VERSION}) and its etcd and CoreDNS. */
    public static BinaryVersions defaults() {
        return KnownVersions.defaults();
    }

    /**
     * The versions for Kubernetes {@code version} ({@code 1.36}, {@code 1.36.3} or {@code default}), with the etcd and
     * CoreDNS of its minor; see {@link KnownVersions#resolve}.
     *
     * @throws BinaryException if the version's minor is not known, naming the known ones
     */
    public static BinaryVersions forKubernetes(String version) {
        return KnownVersions.resolve(version);
    }

    /**
     * The versions for Kubernetes {@code version} through the table of known versions: the etcd and CoreDNS are those of
     * its minor, not this object's (call {@link #withEtcd} afterwards to keep another etcd). Same as
     * {@link #forKubernetes}.
     */
    public BinaryVersions withKubernetes(String version) {
        return forKubernetes(version);
    }

    /** etcd with another version (not checked against the table). */
    public BinaryVersions withEtcd(String version) {
        return new BinaryVersions(kubernetes, version, coreDns);
    }

    /** CoreDNS with another version (not checked against the table). */
    public BinaryVersions withCoreDns(String version) {
        return new BinaryVersions(kubernetes, etcd, version);
    }

    /** The Kubernetes minor version, e.g. {@code 34} for {@code 1.34.4}. */
    public int kubernetesMinor() {
        return Integer.parseInt(kubernetes.split("\\.")[1]);
    }

    /** The Kubernetes patch version, e.g. {@code 4} for {@code 1.34.4}. */
    public int kubernetesPatch() {
        return Integer.parseInt(kubernetes.split("\\.")[2]);
    }

    /**
     * {@code version}, trimmed, if it is {@code MAJOR.MINOR.PATCH} with major {@code major}; else a {@link BinaryException}
     * that says what was expected.
     */
    static String checkFormat(String what, String version, int major) {
        Objects.requireNonNull(version, what + " version");
        String trimmed = version.trim();
        Matcher m = SEMVER.matcher(trimmed);
        String example = switch (what) {
            case "kubernetes" -> KnownVersions.DEFAULT_VERSION;
            case "etcd" -> "3.6.16";
            case "coredns" -> "1.14.1";
            default -> major + ".2.3";
        };
        if (!m.matches()) {
            String hint = trimmed.startsWith("v") ? " (write it without the leading 'v')" : "";
            throw new BinaryException("invalid " + what + " version '" + version + "': expected MAJOR.MINOR.PATCH such as "
                    + example + hint);
        }
        if (Integer.parseInt(m.group(1)) != major) {
            throw new BinaryException("unsupported " + what + " version '" + version + "': polykube knows " + what + " "
                    + major + ".x only");
        }
        return trimmed;
    }
}
