package io.polykube.runtime.preflight;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** One host check. The factories cover what a local Kubernetes cluster needs. */
public interface PreflightCheck {

    /** Short name, e.g. {@code ip_forward}. */
    String name();

    /** Inspects the host; never changes it. */
    CheckResult run();

    /** A check from a name and a function. */
    static PreflightCheck of(String name, java.util.function.Supplier<CheckResult> check) {
        return new PreflightCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CheckResult run() {
                return check.get();
            }
        };
    }

    /** The JVM runs as root (effective uid 0); {@code why} says what needs it and the alternative. */
    static PreflightCheck root(String why) {
        return of("root", () -> {
            long uid = HostInfo.effectiveUid();
            return uid == 0 ? CheckResult.ok("root", "running as root")
                    : CheckResult.failed("root", "running as uid " + uid + ", but " + why, "run as root (sudo), or " + why);
        });
    }

    /** Each file exists, is a regular file and is executable. */
    static PreflightCheck executables(Collection<Path> binaries) {
        List<Path> list = List.copyOf(binaries);
        return of("binaries", () -> {
            List<String> problems = new ArrayList<>();
            for (Path p : list) {
                if (!Files.exists(p)) {
                    problems.add(p + " does not exist");
                } else if (!Files.isRegularFile(p)) {
                    problems.add(p + " is not a regular file");
                } else if (!Files.isExecutable(p)) {
                    problems.add(p + " is not executable");
                }
            }
            return problems.isEmpty() ? CheckResult.ok("binaries", list.size() + " binaries present and executable")
                    : CheckResult.failed("binaries", String.join("; ", problems),
                    "install or build the missing binaries (./polykube setup) and chmod +x them");
        });
    }

    static PreflightCheck executables(Path... binaries) {
        return executables(List.of(binaries));
    }

    /** Each TCP port can be bound on 127.0.0.1 and on the wildcard address. */
    static PreflightCheck portsFree(int... ports) {
        int[] copy = ports.clone();
        return of("ports", () -> {
            List<String> busy = new ArrayList<>();
            for (int port : copy) {
                if (!canBind(InetAddress.getLoopbackAddress(), port) || !canBind(null, port)) {
                    busy.add(Integer.toString(port));
                }
            }
            return busy.isEmpty() ? CheckResult.ok("ports", "ports free: " + java.util.Arrays.toString(copy))
                    : CheckResult.failed("ports", "ports in use: " + busy,
                    "stop what listens there (ss -ltnp 'sport = :PORT' shows it) or choose other ports");
        });
    }

    /** net.ipv4.ip_forward is 1 (pods' traffic is routed through the host). */
    static PreflightCheck ipForward() {
        return of("ip_forward", () -> {
            Optional<String> value = Sysctl.read("net.ipv4.ip_forward");
            if (value.isEmpty()) {
                return CheckResult.failed("ip_forward", "net.ipv4.ip_forward cannot be read", "is /proc/sys mounted?");
            }
            return value.get().equals("1") ? CheckResult.ok("ip_forward", "net.ipv4.ip_forward = 1")
                    : CheckResult.failed("ip_forward", "net.ipv4.ip_forward = " + value.get() + " (pod traffic is not routed)",
                    "sysctl -w net.ipv4.ip_forward=1 as root, or call Sysctl.enableIpForward()");
        });
    }

    /** /proc/sys/net/bridge/bridge-nf-call-iptables exists and is 1 (kube-proxy sees bridged traffic). */
    static PreflightCheck bridgeNetfilter() {
        return of("bridge-nf-call-iptables", () -> {
            Optional<String> value = Sysctl.read("net.bridge.bridge-nf-call-iptables");
            if (value.isEmpty()) {
                return CheckResult.failed("bridge-nf-call-iptables", "/proc/sys/net/bridge/bridge-nf-call-iptables does not exist"
                        + " (br_netfilter not loaded)", "modprobe br_netfilter as root (or build it into the kernel)");
            }
            return value.get().equals("1") ? CheckResult.ok("bridge-nf-call-iptables", "net.bridge.bridge-nf-call-iptables = 1")
                    : CheckResult.failed("bridge-nf-call-iptables", "net.bridge.bridge-nf-call-iptables = " + value.get(),
                    "sysctl -w net.bridge.bridge-nf-call-iptables=1 as root");
        });
    }

    /** No active swap (kubelet refuses to start with swap unless failSwapOn is false). */
    static PreflightCheck swapOff() {
        return of("swap", () -> {
            try {
                List<String> active = HostInfo.activeSwaps(Files.readString(Path.of("/proc/swaps")));
                return active.isEmpty() ? CheckResult.ok("swap", "no swap active")
                        : CheckResult.failed("swap", "swap is on: " + active,
                        "swapoff -a as root, or configure kubelet with failSwapOn: false");
            } catch (IOException e) {
                return CheckResult.warning("swap", "cannot read /proc/swaps: " + e, "check that /proc is mounted");
            }
        });
    }

    /** What a cgroup v1 host is told, once, in the preflight output and in a FULL cluster's start log. */
    public static final String CGROUP_V1_NOTE = "; upstream Kubernetes no longer supports cgroup v1 from 1.35 on: polykube's "
            + "kubelet runs on it with failCgroupV1: false (a cgroup v2 host needs nothing)";

    /** Reports the cgroup layout; fails if no cgroup filesystem or v1 without cpu/memory/pids. */
    static PreflightCheck cgroupLayout() {
        return of("cgroups", () -> {
            CgroupLayout layout = CgroupLayout.detect();
            if (layout.version() == CgroupLayout.Version.NONE) {
                return CheckResult.failed("cgroups", layout.describe(), "mount cgroup v2 at /sys/fs/cgroup (or the v1 hierarchies)");
            }
            if (layout.isV1()) {
                List<String> missing = new ArrayList<>();
                for (String c : List.of("cpu", "cpuacct", "cpuset", "memory", "pids")) {
                    if (!layout.v1Controllers().contains(c)) {
                        missing.add(c);
                    }
                }
                if (!missing.isEmpty()) {
                    return CheckResult.failed("cgroups", layout.describe() + "; missing v1 controllers " + missing,
                            "mount the missing cgroup v1 controllers under /sys/fs/cgroup");
                }
            }
            return CheckResult.ok("cgroups", layout.isV1() ? layout.describe() + CGROUP_V1_NOTE : layout.describe());
        });
    }

    /** The file system holding {@code path} (or its nearest existing parent) has at least minFreeBytes free. */
    static PreflightCheck freeDisk(Path path, long minFreeBytes) {
        return of("disk", () -> {
            Path p = path.toAbsolutePath();
            while (p != null && !Files.exists(p)) {
                p = p.getParent();
            }
            if (p == null) {
                return CheckResult.failed("disk", "no existing parent of " + path, "create the directory");
            }
            try {
                FileStore store = Files.getFileStore(p);
                long free = store.getUsableSpace();
                String msg = String.format("%d MiB free on %s (%s), need %d MiB", free >> 20, p, store.name(), minFreeBytes >> 20);
                return free >= minFreeBytes ? CheckResult.ok("disk", msg)
                        : CheckResult.failed("disk", msg, "free disk space or put the cluster directory on another file system");
            } catch (IOException e) {
                return CheckResult.failed("disk", "cannot stat the file system of " + p + ": " + e, "check the path");
            }
        });
    }

    private static boolean canBind(InetAddress address, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
