package io.polykube.api.internal.node;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test's own last line of defence, independent of the guard: in the mangle table's {@code POSTROUTING} (after the
 * filter table, so the guard decides first), a counting {@code DROP} of every packet that would leave through the default
 * interface to the documentation networks a test uses as "outside" (TEST-NET-2 and TEST-NET-3). Nothing the test sends
 * there leaves the machine, even while the guard is wrong; {@link #dropped()} tells whether the guard let it through.
 */
final class OutsideDrop implements AutoCloseable {
    static final List<String> OUTSIDE = List.of("198.51.100.0/24", "203.0.113.0/24");
    private static final String COMMENT = "polykube-test-outside-drop";
    private static final Pattern COUNTED = Pattern.compile("^\\s*(\\d+)\\s+\\d+\\s+DROP\\b.*" + COMMENT);

    private final String iface;

    private OutsideDrop(String iface) {
        this.iface = iface;
    }

    /** Installs the drops for packets out of {@code iface} (removing any an earlier run left). */
    static OutsideDrop install(String iface) {
        OutsideDrop drop = new OutsideDrop(iface);
        drop.close();
        for (String net : OUTSIDE) {
            HostCommand.run(rule("-I", iface, net)).orThrow("install the test's drop of packets to " + net);
        }
        return drop;
    }

    /** Packets the drops counted: packets that got past the guard on their way out. */
    long dropped() {
        String listing = HostCommand.run("iptables", "-w", "5", "-t", "mangle", "-L", "POSTROUTING", "-v", "-x", "-n")
                .orThrow("read the test's drop counters").output();
        long sum = 0;
        for (String line : listing.split("\n")) {
            Matcher m = COUNTED.matcher(line);
            if (m.find()) {
                sum += Long.parseLong(m.group(1));
            }
        }
        return sum;
    }

    @Override
    public void close() {
        for (String net : OUTSIDE) {
            while (HostCommand.run(rule("-C", iface, net)).ok()) {
                HostCommand.run(rule("-D", iface, net)).orThrow("remove the test's drop of packets to " + net);
            }
        }
    }

    private static List<String> rule(String op, String iface, String net) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w", "5", "-t", "mangle", op, "POSTROUTING"));
        if (op.equals("-I")) {
            command.add("1");
        }
        command.addAll(List.of("-o", iface, "-d", net, "-m", "comment", "--comment", COMMENT, "-j", "DROP"));
        return command;
    }
}
