package io.polykube.runtime.binaries;

import io.polykube.runtime.command.BoundedCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
        BoundedCommand.Outcome outcome;
        try {
            outcome = BoundedCommand.of(command)
                    .environment(env -> env.keySet().removeIf(name -> name.startsWith("CNI_"))) // a CNI plugin would act on them
                    .timeout(Duration.ofSeconds(TIMEOUT_SECONDS)).outputLimit(64 * 1024).run();
        } catch (IOException e) {
            throw new BinaryException("cannot run " + binary.fileName() + " at " + path + ": " + e.getMessage()
                    + " (is it an executable for this machine?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BinaryException("interrupted while checking the version of " + path, e);
        }
        if (outcome.timedOut()) {
            throw new BinaryException(outcome.commandLine() + " did not finish within " + TIMEOUT_SECONDS
                    + " s: is it really " + binary.fileName() + "?");
        }
        if (outcome.exitCode() != 0) {
            throw new BinaryException(outcome.commandLine() + " failed with exit code " + outcome.exitCode()
                    + ": " + abbreviate(outcome.output()) + ". Is it a " + binary.fileName() + " for this machine? Run `./polykube setup`");
        }
        return outcome.output();
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
}
