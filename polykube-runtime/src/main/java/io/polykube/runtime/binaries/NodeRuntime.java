package io.polykube.runtime.binaries;

import java.util.Objects;

/**
 * The node runtime polykube builds from source: one for every Kubernetes version it knows (see {@link KnownVersions}).
 *
 * @param containerd containerd 2.x ({@code github.com/containerd/containerd/v2}: containerd, containerd-shim-runc-v2, ctr)
 * @param runc       runc ({@code github.com/opencontainers/runc}, built with cgo)
 * @param cniPlugins the CNI plugins bridge, host-local, loopback and portmap ({@code github.com/containernetworking/plugins})
 * @param go         the Go their builds need: the highest {@code go} line among their go.mod files
 */
public record NodeRuntime(String containerd, String runc, String cniPlugins, String go) {

    public NodeRuntime {
        BinaryVersions.checkFormat("containerd", containerd, 2);
        BinaryVersions.checkFormat("runc", runc, 1);
        BinaryVersions.checkFormat("cni-plugins", cniPlugins, 1);
        Objects.requireNonNull(go, "go");
    }
}
