package io.polykube.runtime.preflight;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How cgroups are mounted: {@code V2} (unified at /sys/fs/cgroup), {@code V1}, or {@code HYBRID}
 * (v1 hierarchies plus a cgroup2 mount, usually /sys/fs/cgroup/unified). Kubelet treats V1 and
 * HYBRID as cgroup v1 (use the cgroupfs driver without systemd).
 *
 * @param version            the layout
 * @param v1Controllers      controllers of the v1 hierarchies (cpu, memory, ...)
 * @param unifiedMount       where cgroup2 is mounted, if at all
 * @param unifiedControllers controllers enabled in the cgroup2 mount (cgroup.controllers)
 */
public record CgroupLayout(Version version, List<String> v1Controllers, Optional<Path> unifiedMount,
                           List<String> unifiedControllers) {

    /** cgroup version layout. */
    public enum Version { V1, HYBRID, V2, NONE }

    public CgroupLayout {
        v1Controllers = List.copyOf(v1Controllers);
        unifiedControllers = List.copyOf(unifiedControllers);
    }

    /** Reads /proc/self/mounts and the cgroup2 mount's cgroup.controllers. */
    public static CgroupLayout detect() {
        try {
            String mounts = Files.readString(Path.of("/proc/self/mounts"));
            return parse(mounts, mount -> {
                try {
                    return Files.readString(mount.resolve("cgroup.controllers")).trim();
                } catch (IOException e) {
                    return "";
                }
            });
        } catch (IOException e) {
            return new CgroupLayout(Version.NONE, List.of(), Optional.empty(), List.of());
        }
    }

    /** Parses /proc/mounts text; {@code controllersOf} reads cgroup.controllers of a cgroup2 mount. */
    static CgroupLayout parse(String mounts, java.util.function.Function<Path, String> controllersOf) {
        List<String> v1 = new ArrayList<>();
        Path unified = null;
        for (String line : mounts.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4) {
                continue;
            }
            if (f[2].equals("cgroup2")) {
                unified = Path.of(f[1]);
            } else if (f[2].equals("cgroup")) {
                for (String option : f[3].split(",")) {
                    if (!option.equals("rw") && !option.equals("ro") && !option.contains("=") && !option.startsWith("no")
                            && !option.equals("relatime") && !option.equals("noatime") && !option.equals("xattr")
                            && !option.equals("clone_children")) {
                        v1.add(option);
                    }
                }
            }
        }
        List<String> unifiedControllers = new ArrayList<>();
        if (unified != null) {
            for (String c : controllersOf.apply(unified).split("\\s+")) {
                if (!c.isBlank()) {
                    unifiedControllers.add(c);
                }
            }
        }
        Version version;
        if (unified != null && v1.isEmpty()) {
            version = Version.V2;
        } else if (unified != null) {
            version = Version.HYBRID;
        } else if (!v1.isEmpty()) {
            version = Version.V1;
        } else {
            version = Version.NONE;
        }
        return new CgroupLayout(version, v1, Optional.ofNullable(unified), unifiedControllers);
    }

    /** Whether kubelet and runc see cgroup v1 here (V1 or HYBRID). */
    public boolean isV1() {
        return version == Version.V1 || version == Version.HYBRID;
    }

    /** One-line description, e.g. for the preflight report. */
    public String describe() {
        return switch (version) {
            case V2 -> "cgroup v2 (unified at " + unifiedMount.orElseThrow() + ", controllers " + unifiedControllers + ")";
            case V1 -> "cgroup v1 (controllers " + v1Controllers + ", no cgroup2 mount)";
            case HYBRID -> "cgroup v1 hybrid (v1 controllers " + v1Controllers + "; cgroup2 at " + unifiedMount.orElseThrow()
                    + " holding only " + unifiedControllers + "): kubelet and runc use cgroup v1 with the cgroupfs driver";
            case NONE -> "no cgroup filesystem mounted";
        };
    }
}
