package io.polykube.api.spec;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes version, {@code 1.37.2}, that compares with others, for a test that must skip what a minor lacks:
 * {@code assumeTrue(cluster.kubernetesVersion().isAtLeast("1.35"), "needs 1.35")}. A bound written without a patch
 * ({@code "1.35"}) compares on the minor alone, so every 1.35 patch is at least {@code "1.35"} and at most {@code "1.35"}.
 *
 * @param major the major version, 1
 * @param minor the minor version, e.g. 37
 * @param patch the patch version, e.g. 2
 */
public record KubernetesVersion(int major, int minor, int patch) implements Comparable<KubernetesVersion> {
    private static final Pattern TEXT = Pattern.compile("v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:\\.(0|[1-9]\\d*))?");

    public KubernetesVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("a Kubernetes version has no negative part: " + major + "." + minor + "." + patch);
        }
    }

    /**
     * {@code 1.37.2}, or {@code 1.37} (patch 0).
     *
     * @throws IllegalArgumentException if the text is not such a version
     */
    public static KubernetesVersion of(String text) {
        Matcher m = parse(text);
        return new KubernetesVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    /** Whether this version is {@code bound} or newer; a bound without a patch compares on the minor. */
    public boolean isAtLeast(String bound) {
        return compareToBound(bound) >= 0;
    }

    /** Whether this version is {@code bound} or older; a bound without a patch compares on the minor. */
    public boolean isAtMost(String bound) {
        return compareToBound(bound) <= 0;
    }

    /** Whether this version is older than {@code bound}; a bound without a patch compares on the minor. */
    public boolean isOlderThan(String bound) {
        return compareToBound(bound) < 0;
    }

    /** {@code 1.37}. */
    public String minorVersion() {
        return major + "." + minor;
    }

    @Override
    public int compareTo(KubernetesVersion other) {
        int c = Integer.compare(major, other.major);
        if (c == 0) {
            c = Integer.compare(minor, other.minor);
        }
        return c != 0 ? c : Integer.compare(patch, other.patch);
    }

    /** {@code 1.37.2}, without a leading {@code v}. */
    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }

    private int compareToBound(String bound) {
        Matcher m = parse(bound);
        KubernetesVersion b = of(bound);
        if (m.group(3) == null) {
            int c = Integer.compare(major, b.major);
            return c != 0 ? c : Integer.compare(minor, b.minor);
        }
        return compareTo(b);
    }

    private static Matcher parse(String text) {
        Objects.requireNonNull(text, "version");
        Matcher m = TEXT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a Kubernetes version: write it as 1.35 or 1.35.2");
        }
        return m;
    }
}
