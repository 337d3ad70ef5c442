package io.polykube.runtime.binaries;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a binary to learn the version it reports, remembering the answer per path, size and
 * modification time (for the lifetime of this object).
 */
final class VersionProbe {

    private static final long TIMEOUT_SECONDS = 30;
    private static final Pattern CORE = Pattern.compile("\\d+\\.\\d+\\.\\d+|\\d+\\.\\d+|\\d+");

    private record Key(Path path, long size, long modified) {
    }

    private final Map<Key, String> cache = new ConcurrentHashMap<>();

    /** The version {@code path} reports when run as {@code binary}, e.g. {@code 1.34.4}. */
    String reportedVersion(Binary binary, Path path) {
        Key key;
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            key = new Key(path.toAbsolutePath().normalize(), attrs.size(), attrs.lastModifiedTime().toMillis());
        } catch (IOException e) {
            throw new BinaryException("cannot read " + binary.fileName() + " at " + path + ": " + e.getMessage(), e);
        }
        String cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        String version = parse(binary, run(binary, path), path);
        cache.put(key, version);
        return version;
    }

    /** Whether {@code reported} (e.g. {@code 1.34.4} or {@code 1.34.4-dirty}) is the release {@code asked}. */
    static boolean matches(String reported, String asked) {
        Matcher m = CORE.matcher(reported);
        return m.lookingAt() && m.group().equals(asked);
    }

    /** The version in {@code output} of {@code binary} found at {@code path}, or a {@link BinaryException} that says why not. */
    static String parse(Binary binary, String output, Path path) {
        return binary.versionQuery().versionIn(output).orElseThrow(() -> new BinaryException(binary.fileName() + " at " + path
                + " did not report a version I understand when run with "
                + String.join(" ", binary.versionQuery().arguments()) + " (output: " + abbreviate(output) + "). "
                + "Is it really " + binary.fileName() + "? Point polykube at the right file or run `./polykube setup`"));
    }

    private static String run(Binary binary, Path path) {
        List<String> command = new java.util.ArrayList<>();
        command.add(path.toString());
        command.addAll(binary.versionQuery().arguments());
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().keySet().removeIf(name -> name.startsWith("CNI_")); // a CNI plugin would act on them
            Process process = pb.start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readNBytes(64 * 1024);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new BinaryException(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS
                        + " s: is it really " + binary.fileName() + "?");
            }
            String output = new String(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new BinaryException(String.join(" ", command) + " failed with exit code " + process.exitValue()
                        + ": " + abbreviate(output) + ". Is it a " + binary.fileName() + " for this machine? Run `./polykube setup`");
            }
            return output;
        } catch (IOException e) {
            throw new BinaryException("cannot run " + binary.fileName() + " at " + path + ": " + e.getMessage()
                    + " (is it an executable for this machine?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BinaryException("interrupted while checking the version of " + path, e);
        }
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
}
