package io.polykube.api.internal.node;

import io.polykube.net.Cidr;
import java.util.ArrayList;
import java.util.List;

/**
 * Two small networks the host routes between, made for a test and removed by {@link #close()}: network namespaces
 * {@value #A} and {@value #B}, each a /30 joined to the host by a veth. What one sends to the other is forwarded by the
 * host, between two interfaces that are not the cluster's; nothing of it can leave the machine (both networks are
 * directly connected). Their addresses are a /29 that overlaps no route of the host (the host's own network may be
 * anything, TEST-NET-1 included), from 100.127.255.0/24 on.
 */
final class RoutedNetworks implements AutoCloseable {
    static final String A = "pktest-a";
    static final String B = "pktest-b";

    private final Cidr block;

    private RoutedNetworks(Cidr block) {
        this.block = block;
    }

    /** The address of the server side, in {@value #B}. */
    String bAddress() {
        return block.addressAt(6).getHostAddress();
    }

    static RoutedNetworks create() {
        new RoutedNetworks(null).close();
        RoutedNetworks networks = new RoutedNetworks(freeBlock());
        try {
            Cidr b = networks.block;
            plumb(A, "pktva", b.addressAt(1).getHostAddress(), b.addressAt(2).getHostAddress());
            plumb(B, "pktvb", b.addressAt(5).getHostAddress(), b.addressAt(6).getHostAddress());
        } catch (RuntimeException e) {
            networks.close();
            throw e;
        }
        return networks;
    }

    /** A /29 of 100.127.255.0/24 that overlaps none of the host's routes (of any table). */
    static Cidr freeBlock() {
        List<Cidr> routes = new ArrayList<>();
        for (String line : HostCommand.run("ip", "-4", "route", "show", "table", "all").orThrow("list the host's routes")
                .output().split("\n")) {
            String[] words = line.strip().split("\\s+");
            String prefix = words.length > 1 && List.of("local", "broadcast", "unreachable", "blackhole", "prohibit", "throw",
                    "multicast", "anycast").contains(words[0]) ? words[1] : words[0];
            if (prefix.isEmpty() || prefix.equals("default") || !Character.isDigit(prefix.charAt(0))) {
                continue;
            }
            routes.add(Cidr.parse("route", prefix.contains("/") ? prefix : prefix + "/32"));
        }
        for (int offset = 0; offset < 256; offset += 8) {
            Cidr candidate = Cidr.parse("candidate", "100.127.255." + offset + "/29");
            if (routes.stream().noneMatch(r -> r.contains(candidate.addressAt(0)) || candidate.contains(r.addressAt(0)))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no /29 of 100.127.255.0/24 is free of the host's routes");
    }

    private static void plumb(String netns, String veth, String gateway, String address) {
        HostCommand.run("ip", "netns", "add", netns).orThrow("create " + netns);
        HostCommand.run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", netns).orThrow("create " + veth);
        HostCommand.run("ip", "addr", "add", gateway + "/30", "dev", veth).orThrow("address " + veth);
        HostCommand.run("ip", "link", "set", veth, "up").orThrow("bring up " + veth);
        HostCommand.run("ip", "-n", netns, "addr", "add", address + "/30", "dev", "eth0").orThrow("address eth0 in " + netns);
        HostCommand.run("ip", "-n", netns, "link", "set", "eth0", "up").orThrow("bring up eth0 in " + netns);
        HostCommand.run("ip", "-n", netns, "link", "set", "lo", "up").orThrow("bring up lo in " + netns);
        HostCommand.run("ip", "-n", netns, "route", "add", "default", "via", gateway).orThrow("route in " + netns);
    }

    /** Runs {@code command} in namespace {@code netns}. */
    static List<String> in(String netns, String... command) {
        List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        out.addAll(List.of(command));
        return out;
    }

    @Override
    public void close() {
        for (String netns : List.of(A, B)) {
            HostCommand.run("ip", "netns", "pids", netns).output().lines().map(String::strip).filter(p -> p.matches("\\d+"))
                    .forEach(pid -> ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly));
            HostCommand.run("ip", "netns", "del", netns); // takes its end of the veth, and so the host's end, with it
        }
        for (String veth : List.of("pktva", "pktvb")) {
            HostCommand.run("ip", "link", "del", veth);
        }
    }
}
