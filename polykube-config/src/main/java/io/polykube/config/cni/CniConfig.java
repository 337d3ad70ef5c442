package io.polykube.config.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polykube.net.Cidr;
import io.polykube.config.ConfigException;
import io.polykube.config.internal.Check;
import io.polykube.config.internal.CidrInput;
import io.polykube.config.internal.ConfigFiles;
import io.polykube.config.internal.Mappers;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A CNI network configuration list ({@code .conflist}): the {@code bridge} plugin with
 * {@code host-local} IPAM, then {@code portmap} (optional). The loopback interface is not part of
 * the list: containerd's CRI plugin brings {@code lo} up itself with the {@code loopback} plugin
 * binary, which must be in the CNI bin dir next to {@code bridge}.
 *
 * <p><b>Which file wins.</b> containerd (like kubelet's old CNI code and libcni) reads the files
 * ending in {@code .conf}, {@code .conflist} or {@code .json} in its conf dir, sorts them by name
 * and uses only the lexicographically first one. {@link #fileName()} therefore starts with a
 * two-digit priority ({@code 10-polykube.conflist}); {@link #effectiveConfig(Path)} tells which
 * file of a directory is used. Give the cluster its own conf dir so no other file competes.
 */
public final class CniConfig {
    /** CNI spec versions the Debian 12 plugins (1.1.1) and containerd 1.6 both support. */
    public static final Set<String> SUPPORTED_VERSIONS = Set.of("0.3.1", "0.4.0", "1.0.0");
    /** File extensions libcni loads from a conf dir. */
    public static final List<String> CONFIG_EXTENSIONS = List.of(".conf", ".conflist", ".json");

    private static final Pattern NETWORK_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");
    private static final Pattern INTERFACE_NAME = Pattern.compile("[a-zA-Z0-9_\\-][a-zA-Z0-9_.\\-]{0,14}");

    /** A subnet to allocate pod addresses from and its gateway (the bridge's address). */
    public record Subnet(Cidr cidr, InetAddress gateway) {
    }

    /** A route installed in each pod; without a gateway it goes via the subnet's gateway. */
    public record Route(Cidr destination, Optional<InetAddress> gateway) {
    }

    private final String cniVersion;
    private final String networkName;
    private final int priority;
    private final String bridge;
    private final List<Subnet> subnets;
    private final List<Route> routes;
    private final boolean isGateway;
    private final boolean isDefaultGateway;
    private final boolean ipMasq;
    private final boolean hairpinMode;
    private final Optional<Integer> mtu;
    private final Optional<Path> ipamDataDir;
    private final boolean portMap;

    private CniConfig(Builder b, List<Subnet> subnets, List<Route> routes) {
        this.cniVersion = b.cniVersion;
        this.networkName = b.networkName;
        this.priority = b.priority;
        this.bridge = b.bridge;
        this.subnets = List.copyOf(subnets);
        this.routes = List.copyOf(routes);
        this.isGateway = b.isGateway;
        this.isDefaultGateway = b.isDefaultGateway;
        this.ipMasq = b.ipMasq;
        this.hairpinMode = b.hairpinMode;
        this.mtu = Optional.ofNullable(b.mtu);
        this.ipamDataDir = Optional.ofNullable(b.ipamDataDir);
        this.portMap = b.portMap;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String cniVersion() {
        return cniVersion;
    }

    public String networkName() {
        return networkName;
    }

    public String bridge() {
        return bridge;
    }

    public List<Subnet> subnets() {
        return subnets;
    }

    public List<Route> routes() {
        return routes;
    }

    public boolean isGateway() {
        return isGateway;
    }

    public boolean isDefaultGateway() {
        return isDefaultGateway;
    }

    public boolean ipMasq() {
        return ipMasq;
    }

    public boolean hairpinMode() {
        return hairpinMode;
    }

    public Optional<Integer> mtu() {
        return mtu;
    }

    public Optional<Path> ipamDataDir() {
        return ipamDataDir;
    }

    public boolean portMap() {
        return portMap;
    }

    /** {@code <priority>-<networkName>.conflist}, e.g. {@code 10-polykube.conflist}; see the class doc. */
    public String fileName() {
        return String.format("%02d-%s.conflist", priority, networkName);
    }

    /** The conflist as JSON. */
    public String render() {
        return Mappers.json(toTree());
    }

    /** Writes the conflist to {@code file} (0600, atomic: configuration files are private, CIS 1.1 and 4.1). */
    public Path writeTo(Path file) {
        return ConfigFiles.writeAtomically(file, render(), ConfigFiles.PRIVATE);
    }

    /** Writes the conflist into {@code confDir} under {@link #fileName()}. */
    public Path writeInto(Path confDir) {
        return writeTo(Check.absolute("confDir", confDir).resolve(fileName()));
    }

    /**
     * The single-plugin configuration that a runtime passes on stdin when it calls the plugin
     * {@code type} of this list ({@code bridge} or {@code portmap}): the plugin's entry with the
     * list's {@code name} and {@code cniVersion} added, as libcni does (for chained plugins the
     * runtime also adds {@code prevResult}).
     */
    public String pluginConfig(String type) {
        for (JsonNode plugin : toTree().get("plugins")) {
            if (plugin.get("type").asText().equals(type)) {
                ObjectNode out = Mappers.object();
                out.put("cniVersion", cniVersion);
                out.put("name", networkName);
                out.setAll((ObjectNode) plugin);
                return Mappers.json(out);
            }
        }
        throw new ConfigException("type", "this network has no plugin '" + type + "'");
    }

    /**
     * The file of {@code confDir} that containerd will use: the lexicographically first name ending
     * in {@code .conf}, {@code .conflist} or {@code .json}; empty if there is none.
     */
    public static Optional<Path> effectiveConfig(Path confDir) {
        if (!Files.isDirectory(confDir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(confDir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> CONFIG_EXTENSIONS.stream().anyMatch(ext -> p.getFileName().toString().endsWith(ext)))
                    .min((a, c) -> a.getFileName().toString().compareTo(c.getFileName().toString()));
        } catch (IOException e) {
            throw new ConfigException(confDir.toString(), "cannot list the CNI conf dir", e);
        }
    }

    private ObjectNode toTree() {
        ObjectNode root = Mappers.object();
        root.put("cniVersion", cniVersion);
        root.put("name", networkName);
        ArrayNode plugins = root.putArray("plugins");
        ObjectNode bridgeNode = plugins.addObject();
        bridgeNode.put("type", "bridge");
        bridgeNode.put("bridge", bridge);
        bridgeNode.put("isGateway", isGateway);
        bridgeNode.put("isDefaultGateway", isDefaultGateway);
        bridgeNode.put("ipMasq", ipMasq);
        bridgeNode.put("hairpinMode", hairpinMode);
        mtu.ifPresent(m -> bridgeNode.put("mtu", m));
        ObjectNode ipam = bridgeNode.putObject("ipam");
        ipam.put("type", "host-local");
        ArrayNode ranges = ipam.putArray("ranges");
        // One range set per address family: host-local allocates one address from each set.
        for (boolean v4 : new boolean[] {true, false}) {
            List<Subnet> family = subnets.stream().filter(s -> s.cidr().isIpv4() == v4).toList();
            if (!family.isEmpty()) {
                ArrayNode set = ranges.addArray();
                for (Subnet s : family) {
                    ObjectNode range = set.addObject();
                    range.put("subnet", s.cidr().toString());
                    range.put("gateway", s.gateway().getHostAddress());
                }
            }
        }
        if (!routes.isEmpty()) {
            ArrayNode routeList = ipam.putArray("routes");
            for (Route r : routes) {
                ObjectNode route = routeList.addObject();
                route.put("dst", r.destination().toString());
                r.gateway().ifPresent(gw -> route.put("gw", gw.getHostAddress()));
            }
        }
        ipamDataDir.ifPresent(dir -> ipam.put("dataDir", dir.toString()));
        if (portMap) {
            ObjectNode portmap = plugins.addObject();
            portmap.put("type", "portmap");
            portmap.putObject("capabilities").put("portMappings", true);
        }
        return root;
    }

    @Override
    public String toString() {
        return "CniConfig[" + fileName() + ", bridge=" + bridge + ", subnets=" + subnets + "]";
    }

    /** Defaults: network {@code polykube}, bridge {@code cni0}, CNI 1.0.0, gateway on, no masquerade. */
    public static final class Builder {
        private String cniVersion = "1.0.0";
        private String networkName = "polykube";
        private int priority = 10;
        private String bridge = "cni0";
        private final List<SubnetInput> subnets = new ArrayList<>();
        private final List<String[]> routes = new ArrayList<>();
        private boolean isGateway = true;
        private boolean isDefaultGateway = true;
        private boolean ipMasq;
        private boolean hairpinMode = true;
        private Integer mtu;
        private Path ipamDataDir;
        private boolean portMap = true;

        private Builder() {
        }

        /** One of {@link #SUPPORTED_VERSIONS}; default 1.0.0. */
        public Builder cniVersion(String version) {
            this.cniVersion = version;
            return this;
        }

        public Builder networkName(String name) {
            this.networkName = name;
            return this;
        }

        /** The two-digit prefix of {@link #fileName()} (0..99, default 10); lower wins. */
        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        /** The Linux bridge device name (at most 15 characters), default {@code cni0}. */
        public Builder bridge(String name) {
            this.bridge = name;
            return this;
        }

        /** A pod subnet whose gateway is its first address (e.g. 10.244.0.1 for 10.244.0.0/24). */
        public Builder subnet(String cidr) {
            subnets.add(new SubnetInput(CidrInput.of(cidr), null, null));
            return this;
        }

        public Builder subnet(String cidr, String gateway) {
            subnets.add(new SubnetInput(CidrInput.of(cidr), gateway, null));
            return this;
        }

        /** A pod subnet whose gateway is its first address, typed. */
        public Builder subnet(Cidr cidr) {
            subnets.add(new SubnetInput(CidrInput.of(cidr), null, null));
            return this;
        }

        /** A pod subnet and its gateway (the bridge's address), typed. */
        public Builder subnet(Cidr cidr, InetAddress gateway) {
            subnets.add(new SubnetInput(CidrInput.of(cidr), null, Objects.requireNonNull(gateway, "gateway")));
            return this;
        }

        /** A route installed in each pod, via the subnet's gateway. */
        public Builder route(String destinationCidr) {
            routes.add(new String[] {destinationCidr, null});
            return this;
        }

        public Builder route(String destinationCidr, String gateway) {
            routes.add(new String[] {destinationCidr, gateway});
            return this;
        }

        /** Give the bridge the gateway address (default true). */
        public Builder isGateway(boolean value) {
            this.isGateway = value;
            return this;
        }

        /** Install a default route via the gateway in each pod (default true; implies isGateway). */
        public Builder isDefaultGateway(boolean value) {
            this.isDefaultGateway = value;
            return this;
        }

        /** Masquerade traffic leaving the pod network (default false: it adds iptables rules). */
        public Builder ipMasq(boolean value) {
            this.ipMasq = value;
            return this;
        }

        /** Let a pod reach itself through a service (default true). */
        public Builder hairpinMode(boolean value) {
            this.hairpinMode = value;
            return this;
        }

        public Builder mtu(int mtu) {
            this.mtu = mtu;
            return this;
        }

        /** Where host-local records allocations (default {@code /var/lib/cni/networks}); absolute. */
        public Builder ipamDataDir(Path dir) {
            this.ipamDataDir = dir;
            return this;
        }

        /** Chain the {@code portmap} plugin for hostPort (default true). */
        public Builder portMap(boolean value) {
            this.portMap = value;
            return this;
        }

        public CniConfig build() {
            if (!SUPPORTED_VERSIONS.contains(cniVersion)) {
                throw new ConfigException("cni.cniVersion", "'" + cniVersion + "' is not supported; use one of "
                        + SUPPORTED_VERSIONS.stream().sorted().toList());
            }
            if (networkName == null || !NETWORK_NAME.matcher(networkName).matches()) {
                throw new ConfigException("cni.networkName", "'" + networkName
                        + "' is not a valid network name (letters, digits, '_', '.', '-')");
            }
            if (priority < 0 || priority > 99) {
                throw new ConfigException("cni.priority", "must be 0..99, got " + priority);
            }
            if (bridge == null || !INTERFACE_NAME.matcher(bridge).matches()) {
                throw new ConfigException("cni.bridge", "'" + bridge
                        + "' is not a valid interface name (1-15 letters, digits, '_', '.', '-')");
            }
            if (subnets.isEmpty()) {
                throw new ConfigException("cni.subnets", "at least one subnet is required, e.g. 10.244.0.0/24");
            }
            if (isDefaultGateway && !isGateway) {
                throw new ConfigException("cni.isGateway", "must be true when isDefaultGateway is true");
            }
            if (mtu != null && (mtu < 576 || mtu > 65535)) {
                throw new ConfigException("cni.mtu", "must be 576..65535, got " + mtu);
            }
            Check.absoluteOrNull("cni.ipamDataDir", ipamDataDir);
            List<Subnet> built = new ArrayList<>();
            for (int i = 0; i < subnets.size(); i++) {
                built.add(subnet("cni.subnets[" + i + "]", subnets.get(i)));
            }
            for (int i = 0; i < built.size(); i++) {
                for (int j = 0; j < i; j++) {
                    if (overlap(built.get(i).cidr(), built.get(j).cidr())) {
                        throw new ConfigException("cni.subnets[" + i + "]", built.get(i).cidr() + " overlaps "
                                + built.get(j).cidr());
                    }
                }
            }
            List<Route> builtRoutes = new ArrayList<>();
            for (int i = 0; i < routes.size(); i++) {
                String field = "cni.routes[" + i + "]";
                Cidr dst = Check.cidr(field + ".dst", routes.get(i)[0]);
                String gw = routes.get(i)[1];
                builtRoutes.add(new Route(dst, gw == null ? Optional.empty()
                        : Optional.of(Check.ipAddress(field + ".gw", gw))));
            }
            return new CniConfig(this, built, builtRoutes);
        }

        /** A subnet as given: its CIDR, and its gateway as text, typed, or neither (then the first address). */
        private record SubnetInput(CidrInput cidr, String gatewayText, InetAddress gateway) {
        }

        private static Subnet subnet(String field, SubnetInput input) {
            Cidr cidr = input.cidr().resolve(field + ".subnet");
            int bits = cidr.isIpv4() ? 32 : 128;
            if (bits - cidr.prefixLength() < 2) {
                throw new ConfigException(field + ".subnet", cidr + " is too small for a gateway and a pod");
            }
            InetAddress gateway = input.gateway() != null ? input.gateway()
                    : input.gatewayText() != null ? Check.ipAddress(field + ".gateway", input.gatewayText()) : cidr.addressAt(1);
            if (!cidr.contains(gateway)) {
                throw new ConfigException(field + ".gateway", gateway.getHostAddress() + " is outside its subnet " + cidr);
            }
            if (gateway.equals(cidr.network())) {
                throw new ConfigException(field + ".gateway", gateway.getHostAddress() + " is the network address of " + cidr);
            }
            if (cidr.isIpv4()) {
                long size = 1L << (32 - cidr.prefixLength());
                if (gateway.equals(cidr.addressAt(size - 1))) {
                    throw new ConfigException(field + ".gateway", gateway.getHostAddress()
                            + " is the broadcast address of " + cidr);
                }
            }
            return new Subnet(cidr, gateway);
        }

        private static boolean overlap(Cidr a, Cidr b) {
            if (a.isIpv4() != b.isIpv4()) {
                return false;
            }
            Cidr wider = a.prefixLength() <= b.prefixLength() ? a : b;
            Cidr narrower = wider == a ? b : a;
            return wider.contains(narrower.network());
        }
    }

}
