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
 * containerd's {@code config.toml} for a cluster that must not collide with a containerd the host already runs: its own
 * {@code root}, {@code state}, socket (and the ttrpc socket beside it), runc state dir and {@code opt} dir; the CRI
 * plugins with the pinned sandbox image, the {@code runc} runtime with {@code SystemdCgroup = false} (cgroupfs, like
 * kubelet), the overlayfs snapshotter and the cluster's CNI bin and conf dirs. Snapshotters this host cannot use are
 * disabled by default.
 *
 * <p>The format follows the containerd it is rendered for ({@link Builder#containerdVersion}):
 * <ul>
 *   <li><b>containerd 1.6 and 1.7</b> (the default, Debian 12's 1.6.20): configuration version 2, everything under the
 *       one CRI plugin {@code io.containerd.grpc.v1.cri}.</li>
 *   <li><b>containerd 2.x</b>: version 3, with the CRI plugin split into {@code io.containerd.cri.v1.images} (snapshotter,
 *       {@code pinned_images.sandbox}, {@code registry.config_path}) and {@code io.containerd.cri.v1.runtime} (runtimes,
 *       CNI {@code bin_dirs}, netns and OOM options; {@code bin_dir} before 2.1), the stream server staying under
 *       {@code io.containerd.grpc.v1.cri}. Version 3 rather than 2.3's version 4: in version 4 an unset ttrpc address is
 *       no longer derived from the gRPC socket but is the host's {@code /run/containerd/containerd.sock.ttrpc}; here it is
 *       written out anyway ({@code <socket>.ttrpc}). NRI, on by default since 2.0, would make the host-wide socket
 *       {@code /var/run/nri/nri.sock}: it is disabled (in the default disabled plugins, and {@code disable = true}).
 *       containerd 2 looks for its shim in its working directory, then on PATH (Debian's 1.6 shim, here), then beside
 *       itself: give the built one with {@link Builder#shimBinary}. {@code containerd config dump} lists the default
 *       {@code imports} ({@code /etc/containerd/conf.d/*.toml}), but containerd loads only the imports a loaded file names,
 *       and this one names none. Checked by hand with the containerd 2.4.2 polykube builds: it starts on this
 *       configuration, migrates it to version 4 in memory, serves both sockets and loads the CRI plugins without NRI.</li>
 * </ul>
 */
public final class ContainerdConfig {
    /** Linux's limit for a unix socket path (sun_path is 108 bytes with the final NUL). */
    public static final int MAX_SOCKET_PATH = 107;
    /** Snapshotters disabled by default (containerd 1.x): not usable on the test hosts and noisy when they fail. */
    public static final List<String> DEFAULT_DISABLED_PLUGINS = List.of(
            "io.containerd.snapshotter.v1.aufs",
            "io.containerd.snapshotter.v1.btrfs",
            "io.containerd.snapshotter.v1.devmapper",
            "io.containerd.snapshotter.v1.zfs");
    /** NRI's plugin ID in containerd 2: on by default, it would serve a host-wide socket. */
    public static final String NRI_PLUGIN = "io.containerd.nri.v1.nri";
    /**
     * Plugins disabled by default for containerd 2: the snapshotters the test hosts cannot use (aufs is gone; erofs and
     * blockfile are new) and NRI.
     */
    public static final List<String> DEFAULT_DISABLED_PLUGINS_V2 = List.of(
            "io.containerd.snapshotter.v1.btrfs",
            "io.containerd.snapshotter.v1.devmapper",
            "io.containerd.snapshotter.v1.zfs",
            "io.containerd.snapshotter.v1.erofs",
            "io.containerd.snapshotter.v1.blockfile",
            NRI_PLUGIN);
    /** The containerd {@link Builder#containerdVersion} assumes when none is given: Debian 12's. */
    public static final String DEFAULT_CONTAINERD_VERSION = "1.6.20";

    private static final String CRI = "io.containerd.grpc.v1.cri";
    private static final String CRI_IMAGES = "io.containerd.cri.v1.images";
    private static final String CRI_RUNTIME = "io.containerd.cri.v1.runtime";
    private static final List<String> CRI_PLUGINS = List.of(CRI, CRI_IMAGES, CRI_RUNTIME);
    private static final String TTRPC_SUFFIX = ".ttrpc";
    private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.\\d+)?\\S*");

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
    private final String containerdVersion;
    private final int configVersion;
    private final boolean cniBinDirs;
    private final Path shimBinary;

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
        this.containerdVersion = b.containerdVersion;
        this.configVersion = b.configVersion;
        this.cniBinDirs = b.cniBinDirs;
        this.shimBinary = b.shimBinary;
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

    /** The ttrpc socket (shims talk to containerd over it): the gRPC socket's path with {@code .ttrpc} appended. */
    public Path ttrpcAddress() {
        return Path.of(address + TTRPC_SUFFIX);
    }

    /** The containerd version this configuration is for, as given (e.g. {@code 2.4.2}). */
    public String containerdVersion() {
        return containerdVersion;
    }

    /** The configuration format: 2 for containerd 1.6 and 1.7, 3 for containerd 2.x. */
    public int configVersion() {
        return configVersion;
    }

    /** The shim containerd 2 starts ({@code runtime_path}), if given. */
    public java.util.Optional<Path> shimBinary() {
        return java.util.Optional.ofNullable(shimBinary);
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

    /** The configuration as TOML, in the format of {@link #configVersion()}. */
    public String render() {
        return configVersion == 3 ? renderVersion3() : renderVersion2();
    }

    private String renderVersion2() {
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

    private String renderVersion3() {
        ObjectNode rootNode = Mappers.object();
        rootNode.put("version", 3);
        rootNode.put("root", root.toString());
        rootNode.put("state", state.toString());
        ArrayNode disabled = rootNode.putArray("disabled_plugins");
        disabledPlugins.forEach(disabled::add);
        rootNode.putObject("grpc").put("address", address.toString());
        rootNode.putObject("ttrpc").put("address", ttrpcAddress().toString());
        ObjectNode plugins = rootNode.putObject("plugins");

        ObjectNode images = plugins.putObject(CRI_IMAGES);
        images.put("snapshotter", snapshotter);
        images.putObject("pinned_images").put("sandbox", sandboxImage);
        if (registryConfigPath != null) {
            images.putObject("registry").put("config_path", registryConfigPath.toString());
        }

        ObjectNode runtime = plugins.putObject(CRI_RUNTIME);
        if (netnsMountsUnderStateDir) {
            runtime.put("netns_mounts_under_state_dir", true);
        }
        if (restrictOomScoreAdj) {
            runtime.put("restrict_oom_score_adj", true);
        }
        ObjectNode containerd = runtime.putObject("containerd");
        containerd.put("default_runtime_name", "runc");
        ObjectNode runc = containerd.putObject("runtimes").putObject("runc");
        runc.put("runtime_type", "io.containerd.runc.v2");
        if (shimBinary != null) {
            runc.put("runtime_path", shimBinary.toString());
        }
        ObjectNode options = runc.putObject("options");
        options.put("SystemdCgroup", systemdCgroup);
        options.put("Root", runcRoot.toString());
        if (runcBinary != null) {
            options.put("BinaryName", runcBinary.toString());
        }
        ObjectNode cni = runtime.putObject("cni");
        if (cniBinDirs) {
            cni.putArray("bin_dirs").add(cniBinDir.toString());
        } else {
            cni.put("bin_dir", cniBinDir.toString());
        }
        cni.put("conf_dir", cniConfDir.toString());
        cni.put("max_conf_num", 1);

        ObjectNode cri = plugins.putObject(CRI);
        cri.put("stream_server_address", "127.0.0.1");
        cri.put("stream_server_port", "0");
        plugins.putObject(NRI_PLUGIN).put("disable", true);
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
        private String containerdVersion = DEFAULT_CONTAINERD_VERSION;
        private boolean disabledPluginsGiven;
        private Path shimBinary;
        private int configVersion;
        private boolean cniBinDirs;

        private Builder() {
        }

        /**
         * The containerd this configuration is for, e.g. {@code 2.4.2} or {@code 1.6.20} (default
         * {@value ContainerdConfig#DEFAULT_CONTAINERD_VERSION}): 1.6 and 1.7 get configuration version 2, 2.x version 3.
         */
        public Builder containerdVersion(String version) {
            this.containerdVersion = version;
            return this;
        }

        /** The {@code containerd-shim-runc-v2} containerd 2 starts ({@code runtime_path}); containerd 2 only. */
        public Builder shimBinary(Path file) {
            this.shimBinary = file;
            return this;
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

        /**
         * The gRPC socket; its path with {@code .ttrpc} appended (containerd's ttrpc socket) must fit in
         * {@value ContainerdConfig#MAX_SOCKET_PATH} bytes.
         */
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

        /** Replaces {@link #DEFAULT_DISABLED_PLUGINS} (containerd 1.x) or {@link #DEFAULT_DISABLED_PLUGINS_V2} (2.x). */
        public Builder disabledPlugins(List<String> pluginIds) {
            this.disabledPlugins = pluginIds;
            this.disabledPluginsGiven = true;
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
            Check.notBlank("containerd.version", containerdVersion);
            java.util.regex.Matcher v = VERSION.matcher(containerdVersion.trim());
            int major = v.matches() ? Integer.parseInt(v.group(1)) : -1;
            int minor = v.matches() ? Integer.parseInt(v.group(2)) : -1;
            if (major == 2) {
                configVersion = 3;
                cniBinDirs = minor >= 1;
            } else if (major == 1 && (minor == 6 || minor == 7)) {
                configVersion = 2;
            } else {
                throw new ConfigException("containerd.version", "'" + containerdVersion + "': polykube writes the "
                        + "configuration of containerd 1.6, 1.7 and 2.x (e.g. 2.4.2); give the version the containerd binary "
                        + "reports");
            }
            root = Check.absolute("containerd.root", root);
            state = Check.absolute("containerd.state", state);
            address = Check.absolute("containerd.grpc.address", address);
            // containerd listens on <address>.ttrpc too (the shims' socket): both must fit
            if ((address + TTRPC_SUFFIX).getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
                throw new ConfigException("containerd.grpc.address", "'" + address + "' (and its ttrpc socket '" + address
                        + TTRPC_SUFFIX + "') is longer than " + MAX_SOCKET_PATH
                        + " bytes, the limit for a unix socket: use a shorter directory");
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
            shimBinary = Check.absoluteOrNull("containerd.runc.runtime_path", shimBinary);
            if (shimBinary != null && configVersion != 3) {
                throw new ConfigException("containerd.runc.runtime_path", "is written for containerd 2.x only, not "
                        + containerdVersion + " (containerd 1.x starts the shim on its PATH)");
            }
            if (!disabledPluginsGiven) {
                disabledPlugins = configVersion == 3 ? DEFAULT_DISABLED_PLUGINS_V2 : DEFAULT_DISABLED_PLUGINS;
            }
            registryConfigPath = Check.absoluteOrNull("containerd.registry.config_path", registryConfigPath);
            Check.required("containerd.disabled_plugins", disabledPlugins);
            for (int i = 0; i < disabledPlugins.size(); i++) {
                String id = Check.notBlank("containerd.disabled_plugins[" + i + "]", disabledPlugins.get(i));
                if (CRI_PLUGINS.contains(id)) {
                    throw new ConfigException("containerd.disabled_plugins[" + i + "]",
                            "the CRI plugins (" + String.join(", ", CRI_PLUGINS) + ") are what kubelet talks to: " + id
                            + " cannot be disabled");
                }
            }
            return new ContainerdConfig(this);
        }
    }
}
