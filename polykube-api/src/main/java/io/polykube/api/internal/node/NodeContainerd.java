package io.polykube.api.internal.node;

import io.polykube.api.images.Images;
import io.polykube.api.internal.ComponentContext;
import io.polykube.api.layout.NodeDirectories;
import io.polykube.api.status.Component;
import io.polykube.config.containerd.ContainerdConfig;
import io.polykube.config.containerd.RegistryHosts;
import io.polykube.runtime.binaries.ClusterBinary;
import io.polykube.runtime.process.ProcessSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * containerd of one node, the first or a worker: its socket, its configuration, its binaries (containerd 2, its shim,
 * runc and the CNI plugins, built from source into the binary cache), the sandbox image it must hold, and its process, ready once the socket answers and the sandbox image is
 * loaded ({@link SandboxImageProbe}). Its image pulls go to a closed local port, so nothing leaves the host.
 */
final class NodeContainerd {
    /** containerd refuses a ttrpc socket path ({@code <address>.ttrpc}) over 104 bytes, fewer than the kernel's 107. */
    private static final int MAX_SOCKET = 104 - ".ttrpc".length();
    /** containerd's image pulls go to this closed local port: a missing image fails at once and nothing leaves the host. */
    static final String NO_REGISTRY_PROXY = "http://127.0.0.1:1";
    /** Without it (some VMs and containers), a sandbox cannot get kubelet's oom_score_adj of -998. */
    static final int CAP_SYS_RESOURCE = 24;

    private NodeContainerd() {
    }

    /** The node's containerd socket in its directory, or {@code outside} when that path is too long for a socket. */
    static Path socketPath(NodeDirectories dirs, Path outside) {
        Path inside = dirs.containerdSocket();
        if (inside.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET) {
            return inside;
        }
        return outside;
    }

    /** Writes the node's configuration to {@code configFile} and its registry hosts into {@code registryHostsDir}. */
    static Path writeConfig(NodeContext node, Path configFile, Path registryHostsDir) {
        return config(node.cluster(), node.dirs(), node.socket(), registryHostsDir)
                .build()
                .writeTo(configFile);
    }

    /**
     * A node's containerd configuration: its own root, state and socket, the locally built sandbox image, and every
     * registry host, _default included, sent to the closed local port, never to the upstream (the closed proxy in the
     * environment stays as a second layer).
     */
    private static ContainerdConfig.Builder config(ComponentContext cluster, NodeDirectories dirs, Path socket,
            Path registryHostsDir) {
        return ContainerdConfig.builder()
                .containerdVersion(cluster.binaries().get(ClusterBinary.CONTAINERD).version())
                .shimBinary(cluster.binary(ClusterBinary.CONTAINERD_SHIM_RUNC_V2))
                .cniBinDir(cluster.binary(ClusterBinary.CNI_BRIDGE).getParent())
                .root(dirs.containerdRoot())
                .state(dirs.containerdState())
                .address(socket)
                .sandboxImage(Images.SANDBOX_IMAGE)
                .cniConfDir(dirs.cniConfDir())
                .runcBinary(cluster.binary(ClusterBinary.RUNC))
                .netnsMountsUnderStateDir(true)
                .restrictOomScoreAdj(!hasCapability(CAP_SYS_RESOURCE))
                .registryConfigPath(RegistryHosts.allTo(URI.create(NO_REGISTRY_PROXY)).writeInto(registryHostsDir));
    }

    /** Writes the sandbox image, polykube's pause program, to {@code tarball}: containerd loads it, never pulls it. */
    static Path writeSandboxImage(Path pauseBinary, Path tarball) {
        return NodeImages.sandbox(pauseBinary).writeTo(tarball);
    }

    /** The node's containerd with the configuration {@code config}; ready once it holds the sandbox image of {@code sandboxTarball}. */
    static ProcessSpec process(NodeContext node, Path config, Path sandboxTarball) {
        return noRegistryProxy(node.process(Component.CONTAINERD, node.cluster().binary(ClusterBinary.CONTAINERD),
                List.of("--config", config.toString(), "--log-level", "warn")))
                .readiness(new SandboxImageProbe(node.socket(), new NodeImages(node.cluster().spec().name(), node.socket()),
                        sandboxTarball))
                .build();
    }

    /** containerd's image pulls go to a closed local port (a second layer below the registry hosts directory). */
    private static ProcessSpec.Builder noRegistryProxy(ProcessSpec.Builder containerd) {
        return containerd
                .environment("HTTP_PROXY", NO_REGISTRY_PROXY)
                .environment("HTTPS_PROXY", NO_REGISTRY_PROXY)
                .environment("NO_PROXY", "")
                .environment("http_proxy", NO_REGISTRY_PROXY)
                .environment("https_proxy", NO_REGISTRY_PROXY)
                .environment("no_proxy", "");
    }

    /** Whether this process has an effective capability (bit number as in linux/capability.h). */
    static boolean hasCapability(int bit) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << bit)) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // assume not
        }
        return false;
    }
}
