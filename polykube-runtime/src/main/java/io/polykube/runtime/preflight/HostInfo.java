package io.polykube.runtime.preflight;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small readers of /proc facts. */
final class HostInfo {
    private HostInfo() {
    }

    /** Effective uid from /proc/self/status ({@code Uid: real effective saved fs}); -1 if unknown. */
    static long effectiveUid() {
        try {
            return parseEffectiveUid(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException e) {
            return -1;
        }
    }

    static long parseEffectiveUid(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) {
                String[] f = line.substring(4).trim().split("\\s+");
                return Long.parseLong(f[1]);
            }
        }
        return -1;
    }

    /** Names of active swap areas from /proc/swaps (first line is a header). */
    static List<String> activeSwaps(String procSwaps) {
        List<String> swaps = new ArrayList<>();
        String[] lines = procSwaps.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].trim();
            if (!line.isEmpty()) {
                swaps.add(line.split("\\s+")[0]);
            }
        }
        return swaps;
    }
}
