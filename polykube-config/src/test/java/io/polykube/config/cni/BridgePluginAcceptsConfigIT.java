package io.polykube.config.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polykube.net.Cidr;
import io.polykube.config.ItSupport;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CNI {@code bridge} plugin, called the way a runtime calls it (environment + the single-plugin
 * config on stdin), gives a network namespace made by this test an address from our subnet, and
 * releases it on DEL. The test removes the namespace and the bridge; the network uses
 * {@code isGateway: false} and {@code ipMasq: false}, so the plugin changes no host sysctl
 * ({@code ip_forward}) and adds no iptables rule, and host-local keeps its records under target/.
 */
class BridgePluginAcceptsConfigIT {
    static final Path CNI_BIN = ItSupport.nodeRuntimeBinary("polykube.cni.bin.dir", "bridge").getParent();
    static final Path IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");
    static final JsonMapper JSON = new JsonMapper();

    @Test
    void bridgeAddsAnAddressFromTheSubnetAndDeletesIt() throws Exception {
        ItSupport.assumeRootForHostChanges();
        SecureRandom random = new SecureRandom();
        String suffix = HexFormat.of().formatHex(random.generateSeed(3));
        String netns = "polykube-it-" + suffix;
        String bridge = "pkit" + suffix;
        String subnet = "10.244." + (200 + random.nextInt(50)) + ".0/24";
        Path dir = ItSupport.workDir("cni-" + suffix);
        boolean netnsDirExisted = Files.exists(Path.of("/run/netns"));
        String forwardBefore = Files.readString(IP_FORWARD).trim();

        CniConfig config = CniConfig.builder()
                .networkName("polykube-it")
                .bridge(bridge)
                .subnet(subnet)
                .isGateway(false)
                .isDefaultGateway(false)
                .ipMasq(false)
                .ipamDataDir(dir.resolve("ipam"))
                .build();
        Path confDir = dir.resolve("net.d");
        config.writeInto(confDir);
        Path chosen = CniConfig.effectiveConfig(confDir).orElseThrow();
        String stdin = singlePluginConfig(chosen, "bridge");
        assertThat(JSON.readTree(stdin)).isEqualTo(JSON.readTree(config.pluginConfig("bridge")));

        Map<String, String> env = Map.of(
                "CNI_CONTAINERID", "polykube-it-" + suffix,
                "CNI_NETNS", "/var/run/netns/" + netns,
                "CNI_IFNAME", "eth0",
                "CNI_PATH", CNI_BIN.toString());
        try {
            sh("ip", "netns", "add", netns);
            ItSupport.Result add = cni("ADD", env, stdin);
            assertThat(add.exitCode()).as("bridge ADD:\n%s", add.output()).isZero();
            JsonNode result = JSON.readTree(add.output());
            String address = result.get("ips").get(0).get("address").asText();
            InetAddress ip = Cidr.parseAddress("ips[0].address", address.substring(0, address.indexOf('/')));
            assertThat(Cidr.parse("subnet", subnet).contains(ip)).as("%s in %s", ip, subnet).isTrue();
            assertThat(address).endsWith("/24");
            assertThat(result.get("ips").get(0).get("gateway").asText())
                    .isEqualTo(config.subnets().get(0).gateway().getHostAddress());
            assertThat(sh("ip", "netns", "exec", netns, "ip", "-4", "-o", "addr", "show", "dev", "eth0"))
                    .contains(address);
            assertThat(Files.list(dir.resolve("ipam/polykube-it")).map(p -> p.getFileName().toString()))
                    .contains(ip.getHostAddress());

            ItSupport.Result del = cni("DEL", env, stdin);
            assertThat(del.exitCode()).as("bridge DEL:\n%s", del.output()).isZero();
            assertThat(Files.list(dir.resolve("ipam/polykube-it")).map(p -> p.getFileName().toString()))
                    .doesNotContain(ip.getHostAddress());
        } finally {
            ItSupport.run(List.of("ip", "netns", "del", netns));
            ItSupport.run(List.of("ip", "link", "del", bridge));
            if (!netnsDirExisted) {
                removeNetnsDirIfUnused();
            }
        }
        assertThat(ItSupport.run(List.of("ip", "link", "show", bridge)).exitCode()).as("bridge removed").isNotZero();
        assertThat(ItSupport.run(List.of("ip", "netns", "list")).output()).doesNotContain(netns);
        assertThat(Files.readString(IP_FORWARD).trim()).as("ip_forward untouched").isEqualTo(forwardBefore);
    }

    /** What libcni does with a conflist: the plugin's entry plus the list's name and cniVersion. */
    private static String singlePluginConfig(Path conflist, String type) throws Exception {
        JsonNode list = JSON.readTree(conflist.toFile());
        for (JsonNode plugin : list.get("plugins")) {
            if (plugin.get("type").asText().equals(type)) {
                ObjectNode out = JSON.createObjectNode();
                out.put("cniVersion", list.get("cniVersion").asText());
                out.put("name", list.get("name").asText());
                out.setAll((ObjectNode) plugin);
                return JSON.writeValueAsString(out);
            }
        }
        throw new AssertionError("no " + type + " plugin in " + conflist);
    }

    private static ItSupport.Result cni(String command, Map<String, String> env, String stdin) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("CNI_COMMAND", command);
        return ItSupport.run(List.of(CNI_BIN.resolve("bridge").toString()), all, stdin, Duration.ofSeconds(30));
    }

    private static String sh(String... command) {
        ItSupport.Result r = ItSupport.run(List.of(command));
        assertThat(r.exitCode()).as("%s:\n%s", String.join(" ", command), r.output()).isZero();
        return r.output();
    }

    /** {@code ip netns add} made /run/netns a mount point; undo that if no namespace is left in it. */
    private static void removeNetnsDirIfUnused() throws Exception {
        Path dir = Path.of("/run/netns");
        try (var entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                return; // someone else made a namespace meanwhile: leave it
            }
        }
        while (ItSupport.run(List.of("umount", dir.toString())).exitCode() == 0) {
            // ip netns may have stacked more than one bind mount
        }
        Files.deleteIfExists(dir);
    }
}
