package io.polykube.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The mount points this process sees ({@code /proc/self/mountinfo}), for not entering or emptying a mounted volume. */
public final class MountPoints {
    static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private MountPoints() {
    }

    /**
     * The mount points at or below {@code dir} (its real path), deepest first; empty where there is no
     * {@code /proc/self/mountinfo} (not Linux).
     *
     * @throws IOException if {@code /proc/self/mountinfo} exists but cannot be read
     */
    public static List<Path> under(Path dir) throws IOException {
        return under(dir, mountinfo());
    }

    /** The lines of {@code /proc/self/mountinfo}; none where it does not exist. */
    static List<String> mountinfo() throws IOException {
        try {
            return Files.readAllLines(MOUNTINFO);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    static List<Path> under(Path dir, List<String> mountinfo) {
        Path base = realOrAbsolute(dir);
        List<Path> out = new ArrayList<>();
        for (String line : mountinfo) {
            String[] fields = line.split(" ");
            if (fields.length > 4) {
                Path mountPoint = Path.of(unescape(fields[4]));
                if (mountPoint.startsWith(base) && !out.contains(mountPoint)) {
                    out.add(mountPoint);
                }
            }
        }
        out.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        return List.copyOf(out);
    }

    /** The real path of {@code dir} (mountinfo names real paths), or its normalised absolute path if it does not exist. */
    static Path realOrAbsolute(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }

    /** mountinfo writes space, tab, newline and backslash in paths as octal escapes ({@code \040}). */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
