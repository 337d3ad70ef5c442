package io.polykube.runtime.binaries;

import java.util.Objects;

/**
 * One Kubernetes minor polykube knows: a row of {@link KnownVersions}, with everything polykube needs to know that differs
 * from one minor to the next. Versions are written {@code MAJOR.MINOR.PATCH} without a leading {@code v}.
 *
 * @param minor                  the minor, e.g. {@code 1.36}
 * @param patch                  the pinned patch, e.g. {@code 1.36.5}: the newest patch of the minor the Go module proxy
 *                               serves (asked one version at a time with {@code go list -m -json k8s.io/kubernetes@vX.Y.Z})
 * @param etcd                   the etcd polykube builds and runs with it
 * @param kubeadmEtcd            the etcd kubeadm of the pinned patch runs ({@code DefaultEtcdVersion} in
 *                               {@code cmd/kubeadm/app/constants/constants.go}, without the image's {@code -0}); equal to
 *                               {@link #etcd} unless the table's javadoc says why not
 * @param coreDns                the CoreDNS polykube builds and runs with it
 * @param kubeadmCoreDns         the CoreDNS kubeadm of the pinned patch runs ({@code CoreDNSVersion}, same file)
 * @param go                     the Go a build of this release needs: the highest {@code go} line among the go.mod files of
 *                               Kubernetes, etcd and CoreDNS at these versions
 * @param inUpstreamSupport      whether the minor was in upstream support on {@link KnownVersions#SUPPORT_CHECKED_ON}
 * @param kubeletFailsOnCgroupV1 whether kubelet's {@code failCgroupV1} defaults to true (from 1.35 on): on a cgroup v1 host
 *                               the kubelet configuration must then set it to false, or kubelet refuses to start
 * @param supportsContainerd1    whether this minor still supports containerd 1.x as its runtime (1.35 is the last)
 * @param lockedGaFeatureGate    a feature gate that is GA and locked to true in this minor, for tests that turn a locked
 *                               gate off and expect the component to refuse it ({@code SidecarContainers} is gone in 1.37)
 */
public record KubernetesRelease(String minor, String patch, String etcd, String kubeadmEtcd, String coreDns,
        String kubeadmCoreDns, String go, boolean inUpstreamSupport, boolean kubeletFailsOnCgroupV1,
        boolean supportsContainerd1, String lockedGaFeatureGate) {

    public KubernetesRelease {
        Objects.requireNonNull(minor, "minor");
        if (!minor.matches("1\\.(0|[1-9][0-9]*)")) {
            throw new IllegalArgumentException("minor must be 1.N, got '" + minor + "'");
        }
        BinaryVersions.checkFormat("kubernetes", patch, 1);
        if (!patch.startsWith(minor + ".")) {
            throw new IllegalArgumentException("patch " + patch + " is not a patch of " + minor);
        }
        BinaryVersions.checkFormat("etcd", etcd, 3);
        BinaryVersions.checkFormat("etcd", kubeadmEtcd, 3);
        BinaryVersions.checkFormat("coredns", coreDns, 1);
        BinaryVersions.checkFormat("coredns", kubeadmCoreDns, 1);
        Objects.requireNonNull(go, "go");
        Objects.requireNonNull(lockedGaFeatureGate, "lockedGaFeatureGate");
    }

    /** The minor number, e.g. {@code 36} for {@code 1.36}. */
    public int minorNumber() {
        return Integer.parseInt(minor.substring(minor.indexOf('.') + 1));
    }

    /** The versions to build for the pinned patch. */
    public BinaryVersions binaryVersions() {
        return binaryVersions(patch);
    }

    /** The versions to build for {@code kubernetesPatch}, a patch of this minor: this release's etcd and CoreDNS. */
    public BinaryVersions binaryVersions(String kubernetesPatch) {
        BinaryVersions versions = new BinaryVersions(kubernetesPatch, etcd, coreDns);
        if (versions.kubernetesMinor() != minorNumber()) {
            throw new IllegalArgumentException(kubernetesPatch + " is not a patch of " + minor);
        }
        return versions;
    }
}
