package io.polykube.api.internal.node;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts DNS queries (udp and tcp port 53) and TCP connection attempts (SYN) leaving the host through one interface, with
 * RETURN rules in a dedicated chain {@value #CHAIN} jumped to first from OUTPUT and FORWARD, for IPv4 and IPv6. The rules
 * only count; {@link #close()} removes them (and {@link #install} first removes any left by an earlier run). A first
 * IPv4 rule, {@code control}, rejects (and counts) SYNs to one documentation address ({@value #CONTROL_ADDRESS}, TEST-NET-2)
 * so {@link #connectToControl()} can show the counting works without a packet leaving the machine.
 */
final class EgressCounter implements AutoCloseable {
    static final String CHAIN = "POLYKUBE-EGRESS-COUNT";
    static final String CONTROL_ADDRESS = "198.51.100.7";
    private static final List<String> TOOLS = List.of("iptables", "ip6tables");
    private static final List<String> PARENTS = List.of("OUTPUT", "FORWARD");
    /** Counter name to match (after {@code -o iface}); first match wins, so tcp/53 is only in dns-tcp. */
    private static final Map<String, List<String>> RULES = rules();
    private static final Pattern ROUTE_DEV = Pattern.compile("\\bdev (\\S+)");
    private static final Pattern COUNTED = Pattern.compile("^\\s*(\\d+)\\s+(\\d+)\\s+(?:RETURN|REJECT).*/\\* (\\S+) \\*/");
    private static final Pattern CONNTRACK_DST = Pattern.compile("\\bdst=(\\S+)");
    private static final Pattern REFERENCES = Pattern.compile("\\((\\d+) references\\)");

    private final String iface;

    private EgressCounter(String iface) {
        this.iface = iface;
    }

    private static Map<String, List<String>> rules() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        out.put("dns-udp", List.of("-p", "udp", "--dport", "53"));
        out.put("dns-tcp", List.of("-p", "tcp", "--dport", "53"));
        out.put("tcp-syn", List.of("-p", "tcp", "--syn"));
        return out;
    }

    /** The interface of the host's IPv4 default route ({@code ip route show default}). */
    static String defaultInterface() {
        String route = HostCommand.run("ip", "route", "show", "default").orThrow("read the default route").output();
        Matcher m = ROUTE_DEV.matcher(route);
        if (!m.find()) {
            throw new IllegalStateException("no default route on this host: '" + route.strip() + "'");
        }
        return m.group(1);
    }

    /** Installs the counting chain for traffic out of {@code iface}, all counters at 0. */
    static EgressCounter install(String iface) {
        EgressCounter counter = new EgressCounter(iface);
        counter.close();
        try {
            for (String tool : TOOLS) {
                HostCommand.run(tool, "-w", "5", "-N", CHAIN).orThrow("create chain " + CHAIN);
                if (tool.equals("iptables")) {
                    HostCommand.run(controlRule("-A", iface)).orThrow("add the control rule");
                }
                for (Map.Entry<String, List<String>> rule : RULES.entrySet()) {
                    List<String> cmd = new ArrayList<>(List.of(tool, "-w", "5", "-A", CHAIN, "-o", iface));
                    cmd.addAll(rule.getValue());
                    cmd.addAll(List.of("-m", "comment", "--comment", rule.getKey(), "-j", "RETURN"));
                    HostCommand.run(cmd).orThrow("add counter " + rule.getKey());
                }
                for (String parent : PARENTS) {
                    HostCommand.run(tool, "-w", "5", "-I", parent, "1", "-j", CHAIN).orThrow("jump to " + CHAIN);
                }
            }
        } catch (RuntimeException e) {
            counter.close();
            throw e;
        }
        return counter;
    }

    String iface() {
        return iface;
    }

    private static List<String> controlRule(String action, String iface) {
        return List.of("iptables", "-w", "5", action, CHAIN, "-o", iface, "-d", CONTROL_ADDRESS + "/32", "-p", "tcp", "--syn",
                "-m", "comment", "--comment", "control", "-j", "REJECT", "--reject-with", "tcp-reset");
    }

    /**
     * Connects to {@value #CONTROL_ADDRESS}:80 through the default route: the control rule counts the SYN and rejects it on
     * this host (the connection is refused at once). Refuses to try unless the rule and both jumps are in place.
     */
    void connectToControl() throws IOException {
        if (!HostCommand.run(controlRule("-C", iface)).ok() || !references().equals(List.of(2, 2))) {
            throw new IllegalStateException("the control rule or the jumps to " + CHAIN + " are not in place: not connecting");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(CONTROL_ADDRESS, 80), 2000);
            throw new IllegalStateException("connected to " + CONTROL_ADDRESS + ": the control rule did not reject");
        } catch (ConnectException expected) {
            // refused on this host by the control rule
        }
    }

    /**
     * Packets counted so far, per counter ({@code dns-udp}, {@code dns-tcp}, {@code tcp-syn}) summed over IPv4 and IPv6; the
     * {@code control} rule's count is left out (see {@link #controlPackets()}).
     */
    Map<String, Long> packets() {
        Map<String, Long> out = counts();
        out.remove("control");
        return out;
    }

    /** SYNs the control rule counted and rejected. */
    long controlPackets() {
        return counts().getOrDefault("control", 0L);
    }

    private Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        RULES.keySet().forEach(k -> out.put(k, 0L));
        for (String tool : TOOLS) {
            String listing = HostCommand.run(tool, "-w", "5", "-L", CHAIN, "-v", "-x", "-n").orThrow("read " + CHAIN).output();
            for (String line : listing.split("\n")) {
                Matcher m = COUNTED.matcher(line);
                if (m.find()) {
                    out.merge(m.group(3), Long.parseLong(m.group(1)), Long::sum);
                }
            }
        }
        return out;
    }

    /** The raw counter listings (both families), for a failure message. */
    String listing() {
        StringBuilder out = new StringBuilder();
        for (String tool : TOOLS) {
            out.append(tool).append(":\n").append(HostCommand.run(tool, "-w", "5", "-L", CHAIN, "-v", "-x", "-n").output());
        }
        return out.toString();
    }

    /**
     * For a failure message: the destinations of the connections conntrack knows for DNS (port 53) and TCP that are not
     * loopback (at most 20), so a non-zero count can be traced to its sender.
     */
    static String conntrackDestinations() {
        List<String> out = new ArrayList<>();
        for (List<String> query : List.of(List.of("-p", "udp", "--orig-port-dst", "53"), List.of("-p", "tcp"))) {
            for (String family : List.of("ipv4", "ipv6")) {
                List<String> cmd = new ArrayList<>(List.of("conntrack", "-L", "-f", family));
                cmd.addAll(query);
                for (String line : HostCommand.run(cmd).output().split("\n")) {
                    Matcher m = CONNTRACK_DST.matcher(line);
                    if (m.find() && !m.group(1).startsWith("127.") && !m.group(1).equals("::1") && out.size() < 20) {
                        out.add(line.strip());
                    }
                }
            }
        }
        return out.isEmpty() ? "(no non-loopback DNS or TCP entries in conntrack)" : String.join("\n", out);
    }

    /** How many jumps lead to the chain, per family (2 each when installed: OUTPUT and FORWARD). */
    List<Integer> references() {
        return TOOLS.stream().map(tool -> {
            Matcher m = REFERENCES.matcher(HostCommand.run(tool, "-w", "5", "-L", CHAIN, "-n").output());
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        }).toList();
    }

    /** Removes the jumps and the chain (whatever of them exists); never throws for a missing rule. */
    @Override
    public void close() {
        for (String tool : TOOLS) {
            for (String parent : PARENTS) {
                while (HostCommand.run(tool, "-w", "5", "-D", parent, "-j", CHAIN).ok()) {
                    // one jump removed per run; repeat until none is left
                }
            }
            HostCommand.run(tool, "-w", "5", "-F", CHAIN);
            HostCommand.run(tool, "-w", "5", "-X", CHAIN);
        }
    }

    /** True when no rule of either family mentions the chain. */
    static boolean gone() {
        return TOOLS.stream().noneMatch(tool -> HostCommand.run(tool, "-w", "5", "-S").output().contains(CHAIN));
    }
}
