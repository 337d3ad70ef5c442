package io.polykube.api.internal.node;

import java.util.ArrayList;
import java.util.List;

/**
 * iptables chains and rules that look like another cluster's and another container engine's on this host: a
 * {@code KUBE-SERVICES} with a rule of its own (another kube-proxy), a nat {@code CNI-} chain (another CNI portmap) and a
 * Docker-style {@code DOCKER} chain, with jumps from the builtin chains. None matches traffic of this machine (their
 * addresses are in TEST-NET-1 and the interface does not exist). A polykube cluster must leave them byte for byte as
 * they were.
 */
final class ForeignChains implements AutoCloseable {
    static final List<String> NAMES = List.of("KUBE-SERVICES", "CNI-FOREIGN-0001", "DOCKER");
    private static final List<List<String>> RULES = List.of(
            List.of("-t", "filter", "-N", "KUBE-SERVICES"),
            List.of("-t", "filter", "-A", "KUBE-SERVICES", "-d", "192.0.2.10/32", "-p", "tcp", "--dport", "9", "-m", "comment",
                    "--comment", "another cluster's service", "-j", "REJECT", "--reject-with", "icmp-port-unreachable"),
            List.of("-t", "filter", "-A", "FORWARD", "-d", "192.0.2.10/32", "-m", "comment", "--comment", "another cluster",
                    "-j", "KUBE-SERVICES"),
            List.of("-t", "nat", "-N", "CNI-FOREIGN-0001"),
            List.of("-t", "nat", "-A", "CNI-FOREIGN-0001", "-d", "192.0.2.0/24", "-j", "RETURN"),
            List.of("-t", "nat", "-A", "POSTROUTING", "-s", "192.0.2.0/24", "-m", "comment", "--comment", "another CNI",
                    "-j", "CNI-FOREIGN-0001"),
            List.of("-t", "filter", "-N", "DOCKER"),
            List.of("-t", "filter", "-A", "DOCKER", "-d", "192.0.2.20/32", "!", "-i", "pkdocker0", "-o", "pkdocker0", "-p", "tcp",
                    "--dport", "80", "-j", "ACCEPT"),
            List.of("-t", "filter", "-A", "FORWARD", "-o", "pkdocker0", "-j", "DOCKER"));

    private ForeignChains() {
    }

    /** Installs them (after removing any an earlier run left). */
    static ForeignChains install() {
        remove();
        for (List<String> rule : RULES) {
            List<String> command = new ArrayList<>(List.of("iptables", "-w", "5"));
            command.addAll(rule);
            HostCommand.run(command).orThrow("install a foreign chain");
        }
        return new ForeignChains();
    }

    /** Every line of {@code iptables -S} in the filter and nat tables that names one of them, in order. */
    static List<String> snapshot() {
        List<String> out = new ArrayList<>();
        for (String table : List.of("filter", "nat")) {
            for (String line : HostCommand.run("iptables", "-w", "5", "-t", table, "-S").output().split("\n")) {
                if (NAMES.stream().anyMatch(line::contains)) {
                    out.add(table + ": " + line);
                }
            }
        }
        return out;
    }

    static boolean isForeign(String iptablesLine) {
        return NAMES.stream().anyMatch(iptablesLine::contains);
    }

    private static void remove() {
        for (int i = RULES.size() - 1; i >= 0; i--) {
            List<String> rule = new ArrayList<>(RULES.get(i));
            int verb = rule.indexOf("-A") >= 0 ? rule.indexOf("-A") : rule.indexOf("-N");
            if (rule.get(verb).equals("-N")) {
                List<String> table = rule.subList(0, 2);
                run(table, "-F", rule.get(verb + 1));
                run(table, "-X", rule.get(verb + 1));
            } else if (!List.of("KUBE-SERVICES", "CNI-FOREIGN-0001", "DOCKER").contains(rule.get(verb + 1))) {
                rule.set(verb, "-D"); // the jumps from builtin chains; the chains' own rules go with -F
                run(rule);
            }
        }
    }

    private static void run(List<String> table, String... args) {
        List<String> command = new ArrayList<>(table);
        command.addAll(List.of(args));
        run(command);
    }

    private static void run(List<String> args) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w", "5"));
        command.addAll(args);
        HostCommand.run(command);
    }

    @Override
    public void close() {
        remove();
    }
}
