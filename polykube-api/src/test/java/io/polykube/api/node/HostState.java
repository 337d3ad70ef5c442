package io.polykube.api.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What a full cluster may leave on the host: checks that none of it is there. */
final class HostState {
    /** Node processes are host-wide (one full cluster per host); control-plane ones count only in our test directories. */
    private static final List<String> NODE_PROCESSES = List.of("kubelet", "kube-proxy", "containerd", "containerd-shim", "pause");

    private HostState() {
    }

    static List<String> leftovers() {
        List<String> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String comm = Files.readString(p.resolve("comm")).strip();
                    String cmdline = Files.readString(p.resolve("cmdline"));
                    if (NODE_PROCESSES.stream().anyMatch(comm::startsWith) || cmdline.contains("/tmp/pkfull")
                            || cmdline.contains("/tmp/pkcrash")) {
                        out.add("process " + p.getFileName() + " " + comm);
                    }
                } catch (IOException e) {
                    // gone
                }
            });
        } catch (IOException e) {
            out.add("cannot list /proc");
        }
        for (String table : List.of("filter", "nat", "mangle")) {
            for (String line : HostCommand.run("iptables", "-w", "5", "-t", table, "-S").output().split("\n")) {
                if (line.startsWith("-N KUBE-") || line.startsWith("-N CNI-") || line.startsWith("-N POLYKUBE-")) {
                    out.add("iptables -t " + table + " " + line);
                }
            }
        }
        for (String line : HostCommand.run("ip", "-o", "link", "show").output().split("\n")) {
            if (line.contains(" pk-") || line.contains("veth")) {
                out.add("link " + line);
            }
        }
        String netns = HostCommand.run("ip", "netns", "list").output().strip();
        if (!netns.isEmpty()) {
            out.add("netns " + netns);
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                if (line.contains("/pkfull") || line.contains("/run/polykube") || line.contains("kubelet") || line.contains("nsfs")) {
                    out.add("mount " + line);
                }
            }
        } catch (IOException e) {
            out.add("cannot read mounts");
        }
        for (String dir : List.of("/var/log/pods", "/var/log/containers")) {
            if (Files.isDirectory(Path.of(dir))) {
                out.add("directory " + dir);
            }
        }
        if (Files.isDirectory(Path.of("/sys/fs/cgroup/memory/kubepods"))) {
            out.add("cgroup /sys/fs/cgroup/memory/kubepods");
        }
        return out;
    }

    static void assertClean(String when) {
        assertThat(leftovers()).as("host objects " + when).isEmpty();
    }
}
