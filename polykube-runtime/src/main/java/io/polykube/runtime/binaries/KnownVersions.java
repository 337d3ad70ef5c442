package io.polykube.runtime.binaries;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one table of the Kubernetes versions polykube knows, with the etcd and CoreDNS each runs with, the Go each build
 * needs, whether upstream still supports it, and what else differs by minor; plus the node runtime (containerd, runc, CNI
 * plugins) that every version runs on. Everything version-specific is decided from here (or from what a binary reports),
 * never from a scattered {@code if (minor >= 35)}.
 *
 * <table>
 *   <caption>Known versions (checked {@value #CHECKED})</caption>
 *   <tr><th>minor</th><th>pinned patch</th><th>etcd</th><th>CoreDNS</th><th>Go</th><th>upstream support</th></tr>
 *   <tr><td>1.33</td><td>1.33.13</td><td>3.5.33 (kubeadm 3.5.24)</td><td>1.12.0</td><td>1.25.0</td><td>no</td></tr>
 *   <tr><td>1.34</td><td>1.34.12</td><td>3.6.16 (kubeadm 3.6.5)</td><td>1.14.1 (kubeadm 1.12.1)</td><td>1.26.0</td><td>no</td></tr>
 *   <tr><td>1.35</td><td>1.35.8</td><td>3.6.6</td><td>1.13.1</td><td>1.25.0</td><td>yes</td></tr>
 *   <tr><td>1.36</td><td>1.36.5</td><td>3.6.8</td><td>1.14.2</td><td>1.26.0</td><td>yes</td></tr>
 *   <tr><td>1.37</td><td>1.37.2</td><td>3.7.0</td><td>1.14.6</td><td>1.26.0</td><td>yes</td></tr>
 * </table>
 *
 * <p><b>Pinned patches</b> are the newest patch of each minor the Go module proxy serves. Only
 * {@code go list -m -json k8s.io/kubernetes@vX.Y.Z}, one version at a time, tells whether a version is served:
 * {@code go list -m -versions} lists only part of them (it shows v1.35.4 and not v1.35.8), and a version that is not served
 * answers "403 Forbidden ... not available", also in the middle of a series (v1.33.8, v1.34.6, v1.35.7).
 *
 * <p><b>etcd and CoreDNS</b> are those kubeadm of the pinned patch runs ({@code DefaultEtcdVersion} and
 * {@code CoreDNSVersion} in {@code cmd/kubeadm/app/constants/constants.go}), with two exceptions:
 * <ul>
 *   <li><b>1.33: etcd 3.5.33, not kubeadm's 3.5.24.</b> The proxy serves only {@code go.etcd.io/etcd/server/v3} at 3.5.24;
 *       its etcdctl and etcdutl (which polykube needs for snapshots and resets) answer 403, as for every 3.5 patch up to
 *       3.5.32. 3.5.33 is the nearest 3.5 patch served in full. Its build pins {@code go.etcd.io/etcd/client/v2} at
 *       {@code v2.305.33}, as etcd's own go.mod files do (see {@code EtcdRecipe}). etcd 3.5.33 registers
 *       every flag polykube passes to etcd, and its etcdutl has {@code snapshot restore --bump-revision --mark-compacted}.
 *       A 3.5 data directory can be opened by 3.6 (an upgrade to 1.34), which needs 3.5.20 or newer.</li>
 *   <li><b>1.34: etcd 3.6.16 and CoreDNS 1.14.1, not kubeadm's 3.6.5 and 1.12.1.</b> They are the pair polykube's default,
 *       v1.34.4, has always run with (its whole test suite and the conformance run), and the parent pom's
 *       {@code polykube.etcd.version} that the integration tests find etcd by. Keeping them means this table changes
 *       neither the default's binaries nor the etcd that opens existing cluster directories (kubeadm's 3.6.5 would open
 *       data written by 3.6.16 with an older etcd). 3.6.16 is a later patch of the same 3.6 line; CoreDNS 1.14.1 requires
 *       the 1.34 client libraries, 1.12.1 those of 1.32. When the default moves to 1.37 this row can take kubeadm's
 *       pair.</li>
 * </ul>
 *
 * <p><b>Lookups</b> ({@link #resolve}, {@link #select}) accept:
 * <ul>
 *   <li>a known minor, {@code 1.36}: its pinned patch, with the minor's etcd and CoreDNS;</li>
 *   <li>an exact patch of a known minor, {@code 1.36.3}: that patch, with the minor's etcd and CoreDNS. Whether the proxy
 *       serves it is learnt when it is built (a patch the proxy lacks fails the build, whose message says how to check);</li>
 *   <li>{@value #DEFAULT}: {@link #DEFAULT_VERSION};</li>
 *   <li>in {@link #select} only, {@value #SUPPORTED} (the minors in upstream support), {@value #ALL} (every known
 *       minor) and {@value #OLDEST} (the oldest known minor), each at its pinned patch.</li>
 * </ul>
 * An unknown minor (1.32, 1.38), a pre-release, a leading {@code v} or anything else is refused with a
 * {@link BinaryException} that names the known minors.
 */
public final class KnownVersions {

    /** When the pins, kubeadm's constants and the support status were checked. */
    static final String CHECKED = "2026-12-04";
    /** The day {@link KubernetesRelease#inUpstreamSupport()} was true or false. */
    public static final LocalDate SUPPORT_CHECKED_ON = LocalDate.parse(CHECKED);

    /**
     * The Kubernetes version polykube uses when none is asked for: the newest pinned patch (this constant, and the parent
     * pom's {@code polykube.kubernetes.version} and {@code polykube.etcd.version} that a unit test checks against it, are
     * the only places to change).
     */
    public static final String DEFAULT_VERSION = "1.37.2";

    /** The word for {@link #DEFAULT_VERSION} in {@link #resolve} and {@link #select}. */
    public static final String DEFAULT = "default";
    /** The word for every minor in upstream support, in {@link #select}. */
    public static final String SUPPORTED = "supported";
    /** The word for every known minor, in {@link #select}. */
    public static final String ALL = "all";
    /** The word for the oldest known minor, in {@link #select}. */
    public static final String OLDEST = "oldest";

    /** A gate GA and locked to true in 1.33 to 1.37 ({@code SidecarContainers} is gone in 1.37). */
    private static final String LOCKED_GATE = "NodeInclusionPolicyInPodTopologySpread";

    /** Oldest first. */
    private static final List<KubernetesRelease> RELEASES = List.of(
            new KubernetesRelease("1.33", "1.33.13", "3.5.33", "3.5.24", "1.12.0", "1.12.0", "1.25.0", false, false, true,
                    LOCKED_GATE),
            new KubernetesRelease("1.34", "1.34.12", "3.6.16", "3.6.5", "1.14.1", "1.12.1", "1.26.0", false, false, true,
                    LOCKED_GATE),
            new KubernetesRelease("1.35", "1.35.8", "3.6.6", "3.6.6", "1.13.1", "1.13.1", "1.25.0", true, true, true,
                    LOCKED_GATE),
            new KubernetesRelease("1.36", "1.36.5", "3.6.8", "3.6.8", "1.14.2", "1.14.2", "1.26.0", true, true, false,
                    LOCKED_GATE),
            new KubernetesRelease("1.37", "1.37.2", "3.7.0", "3.7.0", "1.14.6", "1.14.6", "1.26.0", true, true, false,
                    LOCKED_GATE));

    /**
     * The node runtime of every Kubernetes version: containerd 2.4.2 (newest served; 2.x runs Kubernetes 1.33 to 1.37),
     * runc 1.5.3 (newest served; containerd 2.4.2 is tested with 1.5.x) and the CNI plugins 1.10.0 (newest served; its
     * go.mod asks for Go 1.26.8, the Go of the machines polykube runs on; 1.9.1, which asks for 1.24.2, is the fallback).
     */
    private static final NodeRuntime NODE_RUNTIME = new NodeRuntime("2.4.2", "1.5.3", "1.10.0", "1.26.8");

    private static final Pattern MINOR = Pattern.compile("(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)");
    private static final Pattern PATCH = Pattern.compile("(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)");

    private KnownVersions() {
    }

    /** Every known minor, oldest first. */
    public static List<KubernetesRelease> all() {
        return RELEASES;
    }

    /** The minors in upstream support on {@link #SUPPORT_CHECKED_ON}, oldest first. */
    public static List<KubernetesRelease> supported() {
        return RELEASES.stream().filter(KubernetesRelease::inUpstreamSupport).toList();
    }

    /** The newest known minor. */
    public static KubernetesRelease newest() {
        return RELEASES.get(RELEASES.size() - 1);
    }

    /** The oldest known minor. */
    public static KubernetesRelease oldest() {
        return RELEASES.get(0);
    }

    /** The node runtime every Kubernetes version runs on. */
    public static NodeRuntime nodeRuntime() {
        return NODE_RUNTIME;
    }

    /** The versions of {@link #DEFAULT_VERSION}. */
    public static BinaryVersions defaults() {
        return resolve(DEFAULT_VERSION);
    }

    /** The release of {@link #DEFAULT_VERSION}. */
    public static KubernetesRelease defaultRelease() {
        return release(DEFAULT_VERSION);
    }

    /** The known minor {@code 1.<minor>}, if any. */
    public static Optional<KubernetesRelease> find(int minor) {
        return RELEASES.stream().filter(r -> r.minorNumber() == minor).findFirst();
    }

    /**
     * The release a version belongs to: {@code 1.36}, {@code 1.36.3} or {@value #DEFAULT}.
     *
     * @throws BinaryException if it is not a known minor or a patch of one
     */
    public static KubernetesRelease release(String version) {
        String text = normalize(version);
        if (text.equals(DEFAULT)) {
            return release(DEFAULT_VERSION);
        }
        Matcher minor = MINOR.matcher(text);
        Matcher patch = PATCH.matcher(text);
        if (!minor.matches() && !patch.matches()) {
            throw new BinaryException(invalid(version));
        }
        Matcher m = minor.matches() ? minor : patch;
        int major = Integer.parseInt(m.group(1));
        int minorNumber = Integer.parseInt(m.group(2));
        Optional<KubernetesRelease> release = major == 1 ? find(minorNumber) : Optional.empty();
        return release.orElseThrow(() -> new BinaryException("Kubernetes " + text + " is not a version polykube knows: "
                + "it knows " + knownMinors() + " (" + pinnedPatches() + "). Ask for one of these minors, an exact patch of "
                + "one (e.g. " + newest().minor() + ".0), or " + DEFAULT));
    }

    /**
     * Whether {@code version} is one polykube builds on first use: a known minor's pinned patch, or {@value #DEFAULT}
     * (any other patch must be built with {@code ./polykube setup --kubernetes-version} first).
     *
     * @throws BinaryException if it is not a known minor or a patch of one
     */
    public static boolean isPinned(String version) {
        String text = normalize(version);
        return text.equals(DEFAULT) || text.equals(DEFAULT_VERSION) || release(text).patch().equals(text);
    }

    /**
     * The versions to build and run for {@code version}: a known minor ({@code 1.36}: its pinned patch), an exact patch
     * of a known minor ({@code 1.36.3}), or {@value #DEFAULT}; each with its minor's etcd and CoreDNS.
     *
     * @throws BinaryException with the known minors, if the version is not one of those
     */
    public static BinaryVersions resolve(String version) {
        String text = normalize(version);
        if (text.equals(SUPPORTED) || text.equals(ALL) || text.equals(OLDEST)) {
            throw new BinaryException("'" + text + "' names several Kubernetes versions, one is needed here: ask for one of "
                    + knownMinors() + ", an exact patch of one, or " + DEFAULT);
        }
        if (text.equals(DEFAULT)) {
            return resolve(DEFAULT_VERSION);
        }
        KubernetesRelease release = release(text);
        return PATCH.matcher(text).matches() ? release.binaryVersions(text) : release.binaryVersions();
    }

    /**
     * Like {@link #resolve}, and also {@value #SUPPORTED} (every minor in upstream support) and {@value #ALL} (every
     * known minor), each at its pinned patch; oldest first.
     */
    public static List<BinaryVersions> select(String what) {
        String text = normalize(what);
        if (text.equals(ALL)) {
            return RELEASES.stream().map(KubernetesRelease::binaryVersions).toList();
        }
        if (text.equals(SUPPORTED)) {
            return supported().stream().map(KubernetesRelease::binaryVersions).toList();
        }
        if (text.equals(OLDEST)) {
            return List.of(oldest().binaryVersions());
        }
        return List.of(resolve(text));
    }

    /** {@code 1.33, 1.34, 1.35, 1.36, 1.37}. */
    public static String knownMinors() {
        return RELEASES.stream().map(KubernetesRelease::minor).collect(Collectors.joining(", "));
    }

    /** The highest Go any build of the table needs (Kubernetes, etcd, CoreDNS and the node runtime). */
    public static String minimumGo() {
        return Stream.concat(RELEASES.stream().map(KubernetesRelease::go), Stream.of(NODE_RUNTIME.go()))
                .max(Comparator.comparing(v -> v, GoMod::compareGoVersions)).orElseThrow();
    }

    private static String pinnedPatches() {
        return RELEASES.stream().map(KubernetesRelease::patch).collect(Collectors.joining(", "));
    }

    private static String normalize(String version) {
        if (version == null) {
            throw new BinaryException("no Kubernetes version given: ask for one of " + knownMinors() + ", an exact patch "
                    + "of one, or " + DEFAULT);
        }
        return version.trim().toLowerCase(Locale.ROOT);
    }

    private static String invalid(String version) {
        String hint = version.trim().startsWith("v") ? " (write it without the leading 'v')" : "";
        return "invalid Kubernetes version '" + version + "'" + hint + ": expected a known minor (" + knownMinors()
                + "), an exact patch of one such as " + newest().patch() + ", or " + DEFAULT;
    }
}
