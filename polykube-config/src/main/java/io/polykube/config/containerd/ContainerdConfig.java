package io.polykube.config.containerd;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polykube.config.ConfigException;
import io.polykube.config.internal.Check;
import io.polykube.config.internal.ConfigFiles;
import io.polykube.config.internal.Mappers;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * containerd's {@code config.toml} (version 2, for containerd 1.6 and 1.7) for a cluster that must
 * not collide with a containerd the host already runs: its own {@code root}, {@code state}, socket,
 * runc state dir and {@code opt} dir; the CRI plugin with {@code sandbox_image}, the {@code runc}
 * runtime with {@code SystemdCgroup = false} (cgroupfs, like kubelet), the overlayfs snapshotter and
 * the cluster's CNI bin and conf dirs. Snapshotters this host cannot use are disabled by default.
 */
public final class ContainerdConfig {
    /** Linux's limit for a unix socket path (sun_path is 108 bytes with the final NUL). */
    public static final int MAX_SOCKET_PATH = 107;
    /** Snapshotters disabled by default: not usable on the test hosts and noisy when they fail. */
    public static final List<String> DEFAULT_DISABLED_PLUGINS = List.of(
            "io.containerd.snapshotter.v1.aufs",
            "io.containerd.snapshotter.v1.btrfs",
            "io.containerd.snapshotter.v1.devmapper",
            "io.containerd.snapshotter.v1.zfs");

    private static final String CRI = "io.containerd.grpc.v1.cri";

    private final Path root;
    private final Path state;
    private final Path address;
    private final String sandboxImage;
    private final String snapshotter;
    private final Path cniBinDir;
    private final Path cniConfDir;
    private final boolean systemdCgroup;
    private final Path runcRoot;
    private final Path runcBinary;
    private final List<String> disabledPlugins;
    private final boolean netnsMountsUnderStateDir;
    private final boolean restrictOomScoreAdj;
    private final Path registryConfigPath;

    private ContainerdConfig(Builder b) {
        this.root = b.root;
        this.state = b.state;
        this.address = b.address;
        this.sandboxImage = b.sandboxImage;
        this.snapshotter = b.snapshotter;
        this.cniBinDir = b.cniBinDir;
        this.cniConfDir = b.cniConfDir;
        this.systemdCgroup = b.systemdCgroup;
        this.runcRoot = b.runcRoot;
        this.runcBinary = b.runcBinary;
        this.disabledPlugins = List.copyOf(b.disabledPlugins);
        this.netnsMountsUnderStateDir = b.netnsMountsUnderStateDir;
        this.restrictOomScoreAdj = b.restrictOomScoreAdj;
        this.registryConfigPath = b.registryConfigPath;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path root() {
        return root;
    }

    public Path state() {
        return state;
    }

    /** The gRPC (and CRI) socket. */
    public Path address() {
        return address;
    }

    public String sandboxImage() {
        return sandboxImage;
    }

    public Path cniBinDir() {
        return cniBinDir;
    }

    public Path cniConfDir() {
        return cniConfDir;
    }

    public Path runcRoot() {
        return runcRoot;
    }

    /** Whether pod network namespaces are mounted under {@code <state>/netns} instead of the host-wide {@code /run/netns}. */
    public boolean netnsMountsUnderStateDir() {
        return netnsMountsUnderStateDir;
    }

    /** The registry hosts directory ({@code config_path}, see {@link RegistryHosts}), if any. */
    public java.util.Optional<Path> registryConfigPath() {
        return java.util.Optional.ofNullable(registryConfigPath);
    }

    /** The configuration as TOML. */
    public String render() {
        ObjectNode rootNode = Mappers.object();
        rootNode.put("version", 2);
        rootNode.put("root", root.toString());
        rootNode.put("state", state.toString());
        ArrayNode disabled = rootNode.putArray("disabled_plugins");
        disabledPlugins.forEach(disabled::add);
        rootNode.putObject("grpc").put("address", address.toString());
        ObjectNode plugins = rootNode.putObject("plugins");
        ObjectNode cri = plugins.putObject(CRI);
        cri.put("sandbox_image", sandboxImage);
        cri.put("stream_server_address", "127.0.0.1");
        cri.put("stream_server_port", "0");
        if (netnsMountsUnderStateDir) {
            cri.put("netns_mounts_under_state_dir", true);
        }
        if (restrictOomScoreAdj) {
            cri.put("restrict_oom_score_adj", true);
        }
        ObjectNode containerd = cri.putObject("containerd");
        containerd.put("snapshotter", snapshotter);
        containerd.put("default_runtime_name", "runc");
        ObjectNode runc = containerd.putObject("runtimes").putObject("runc");
        runc.put("runtime_type", "io.containerd.runc.v2");
        ObjectNode options = runc.putObject("options");
        options.put("SystemdCgroup", systemdCgroup);
        options.put("Root", runcRoot.toString());
        if (runcBinary != null) {
            options.put("BinaryName", runcBinary.toString());
        }
        ObjectNode cni = cri.putObject("cni");
        cni.put("bin_dir", cniBinDir.toString());
        cni.put("conf_dir", cniConfDir.toString());
        cni.put("max_conf_num", 1);
        if (registryConfigPath != null) {
            cri.putObject("registry").put("config_path", registryConfigPath.toString());
        }
        plugins.putObject("io.containerd.internal.v1.opt").put("path", root.resolve("opt").toString());
        return Mappers.toml(rootNode);
    }

    /** Writes {@link #render()} to {@code file} (0600, atomic: configuration files are private, CIS 1.1 and 4.1). */
    public Path writeTo(Path file) {
        return ConfigFiles.writeAtomically(file, render(), ConfigFiles.PRIVATE);
    }

    /** Builds a {@link ContainerdConfig}; root, state, address and the CNI conf dir are required. */
    public static final class Builder {
        private Path root;
        private Path state;
        private Path address;
        private String sandboxImage = "registry.k8s.io/pause:3.10";
        private String snapshotter = "overlayfs";
        private Path cniBinDir = Path.of("/usr/lib/cni");
        private Path cniConfDir;
        private boolean systemdCgroup;
        private Path runcRoot;
        private Path runcBinary;
        private List<String> disabledPlugins = DEFAULT_DISABLED_PLUGINS;
        private boolean netnsMountsUnderStateDir;
        private boolean restrictOomScoreAdj;
        private Path registryConfigPath;

        private Builder() {
        }

        /** Persistent data (images, snapshots). */
        public Builder root(Path dir) {
            this.root = dir;
            return this;
        }

        /** Runtime state (tmpfs-like; sockets of shims, mounts of running containers). */
        public Builder state(Path dir) {
            this.state = dir;
            return this;
        }

        /** The gRPC socket; its path must fit in {@value #MAX_SOCKET_PATH} bytes. */
        public Builder address(Path socket) {
            this.address = socket;
            return this;
        }

        /** The pause image every pod sandbox uses; it must already be loaded (no registry here). */
        public Builder sandboxImage(String image) {
            this.sandboxImage = image;
            return this;
        }

        public Builder snapshotter(String snapshotter) {
            this.snapshotter = snapshotter;
            return this;
        }

        /** Where the CNI plugin binaries are (default {@code /usr/lib/cni}). */
        public Builder cniBinDir(Path dir) {
            this.cniBinDir = dir;
            return this;
        }

        /** The cluster's own CNI conf dir (see {@code CniConfig}). */
        public Builder cniConfDir(Path dir) {
            this.cniConfDir = dir;
            return this;
        }

        /** Must match kubelet's cgroup driver; default false (cgroupfs). */
        public Builder systemdCgroup(boolean value) {
            this.systemdCgroup = value;
            return this;
        }

        /** runc's state dir (default {@code <state>/runc}), so it never mixes with the host's containers. */
        public Builder runcRoot(Path dir) {
            this.runcRoot = dir;
            return this;
        }

        /** The runc binary, if not {@code runc} on the PATH. */
        public Builder runcBinary(Path file) {
            this.runcBinary = file;
            return this;
        }

        /** Replaces {@link #DEFAULT_DISABLED_PLUGINS}. */
        public Builder disabledPlugins(List<String> pluginIds) {
            this.disabledPlugins = pluginIds;
            return this;
        }

        /**
         * Mount pod network namespaces under {@code <state>/netns} (containerd 1.6.12+) rather than in the host-wide
         * {@code /run/netns}, so the cluster's namespaces are found and removed with its state dir. Default false.
         */
        public Builder netnsMountsUnderStateDir(boolean value) {
            this.netnsMountsUnderStateDir = value;
            return this;
        }

        /**
         * Never give a container an {@code oom_score_adj} below containerd's own. Needed where the process lacks
         * {@code CAP_SYS_RESOURCE} (kubelet asks -998 for pod sandboxes, and runc fails with "Permission denied").
         * Default false.
         */
        public Builder restrictOomScoreAdj(boolean value) {
            this.restrictOomScoreAdj = value;
            return this;
        }

        /** A registry hosts directory ({@code <dir>/<host>/hosts.toml}, e.g. written by {@link RegistryHosts}). */
        public Builder registryConfigPath(Path dir) {
            this.registryConfigPath = dir;
            return this;
        }

        public ContainerdConfig build() {
            root = Check.absolute("containerd.root", root);
            state = Check.absolute("containerd.state", state);
            address = Check.absolute("containerd.grpc.address", address);
            if (address.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
                throw new ConfigException("containerd.grpc.address", "'" + address + "' is longer than "
                        + MAX_SOCKET_PATH + " bytes, the limit for a unix socket: use a shorter directory");
            }
            if (root.equals(state)) {
                throw new ConfigException("containerd.state", "must differ from containerd.root " + root);
            }
            Check.notBlank("containerd.sandbox_image", sandboxImage);
            Check.notBlank("containerd.snapshotter", snapshotter);
            cniBinDir = Check.absolute("containerd.cni.bin_dir", cniBinDir);
            cniConfDir = Check.absolute("containerd.cni.conf_dir", cniConfDir);
            runcRoot = runcRoot == null ? state.resolve("runc") : Check.absolute("containerd.runc.options.Root", runcRoot);
            runcBinary = Check.absoluteOrNull("containerd.runc.options.BinaryName", runcBinary);
            registryConfigPath = Check.absoluteOrNull("containerd.registry.config_path", registryConfigPath);
            Check.required("containerd.disabled_plugins", disabledPlugins);
            for (int i = 0; i < disabledPlugins.size(); i++) {
                String id = Check.notBlank("containerd.disabled_plugins[" + i + "]", disabledPlugins.get(i));
                if (id.equals(CRI)) {
                    throw new ConfigException("containerd.disabled_plugins[" + i + "]",
                            "the CRI plugin is what kubelet talks to: it cannot be disabled");
                }
            }
            return new ContainerdConfig(this);
        }
    }
}
