package io.polykube.api.internal.node;

import java.util.List;

/**
 * Two small networks the host routes between, made for a test and removed by {@link #close()}: network namespaces
 * {@value #A} (192.0.2.2, gateway 192.0.2.1) and {@value #B} (192.0.2.6, gateway 192.0.2.5), each joined to the host by a
 * veth. What one sends to the other is forwarded by the host, between two interfaces that are not the cluster's; nothing
 * of it can leave the machine (both networks are directly connected, TEST-NET-1 addresses).
 */
final class RoutedNetworks implements AutoCloseable {
    static final String A = "pktest-a";
    static final String B = "pktest-b";
    static final String B_ADDRESS = "192.0.2.6";

    private RoutedNetworks() {
    }

    static RoutedNetworks create() {
        RoutedNetworks networks = new RoutedNetworks();
        networks.close();
        try {
            plumb(A, "pktva", "192.0.2.1", "192.0.2.2");
            plumb(B, "pktvb", "192.0.2.5", B_ADDRESS);
        } catch (RuntimeException e) {
            networks.close();
            throw e;
        }
        return networks;
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
        List<String> out = new java.util.ArrayList<>(List.of("ip", "netns", "exec", netns));
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
