package io.polykube.runtime.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads what identifies a process beyond its pid: start time (boot ticks) and command line, from /proc. */
final class ProcFs {
    private static final Path PROC = Path.of("/proc");

    private ProcFs() {
    }

    /** Identity of a live process as /proc shows it. */
    record Identity(long pid, long startTicks, List<String> commandLine) {
    }

    /** Reads /proc/pid/stat and /proc/pid/cmdline; empty if the process does not exist. */
    static Optional<Identity> read(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            byte[] cmdline = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
            return Optional.of(new Identity(pid, startTicks(stat), parseCmdline(cmdline)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Field 22 (starttime, clock ticks since boot) of /proc/pid/stat; the comm field may hold spaces and ')'. */
    static long startTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/pid/stat line: " + stat);
        }
        String[] fields = stat.substring(close + 2).trim().split(" ");
        // fields[0] is field 3 (state); starttime is field 22
        return Long.parseLong(fields[22 - 3]);
    }

    static List<String> parseCmdline(byte[] cmdline) {
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                args.add(new String(cmdline, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < cmdline.length) {
            args.add(new String(cmdline, start, cmdline.length - start, StandardCharsets.UTF_8));
        }
        return List.copyOf(args);
    }
}
