package io.polykube.api.node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts DNS queries (udp and tcp port 53) and TCP connection attempts (SYN) leaving the host through one interface, with
 * RETURN rules in a dedicated chain {@value #CHAIN} jumped to first from OUTPUT and FORWARD, for IPv4 and IPv6. The rules
 * only count; {@link #close()} removes them (and {@link #install} first removes any left by an earlier run).
 */
final class EgressCounter implements AutoCloseable {
    static final String CHAIN = "POLYKUBE-EGRESS-COUNT";
    private static final List<String> TOOLS = List.of("iptables", "ip6tables");
    private static final List<String> PARENTS = List.of("OUTPUT", "FORWARD");
    /** Counter name to match (after {@code -o iface}); first match wins, so tcp/53 is only in dns-tcp. */
    private static final Map<String, List<String>> RULES = rules();
    private static final Pattern ROUTE_DEV = Pattern.compile("\\bdev (\\S+)");
    private static final Pattern COUNTED = Pattern.compile("^\\s*(\\d+)\\s+(\\d+)\\s+RETURN.*/\\* (\\S+) \\*/");
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
                for (Map.Entry<String, List<String>> rule : RULES.entrySet()) {
                    List<String> cmd = new java.util.ArrayList<>(List.of(tool, "-w", "5", "-A", CHAIN, "-o", iface));
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

    /** Packets counted so far, per counter ({@code dns-udp}, {@code dns-tcp}, {@code tcp-syn}) summed over IPv4 and IPv6. */
    Map<String, Long> packets() {
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
