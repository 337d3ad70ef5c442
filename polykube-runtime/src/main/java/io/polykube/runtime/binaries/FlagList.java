package io.polykube.runtime.binaries;

import io.polykube.files.AtomicFile;
import io.polykube.runtime.command.BoundedCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command-line flags and feature gates a binary knows, read from its own {@code --help} output. For a binary of
 * polykube's cache the list is kept beside it ({@code .<name>.flags}, stamped with the binary's size, inode and change
 * time), so only the first start runs {@code --help}. A flag or gate that is not in the list (hidden and deprecated flags,
 * GA and deprecated gates are not listed) can be confirmed with {@link #rejects(String, String)} or
 * {@link #gateProblem(String, boolean)}, which ask the binary itself.
 */
public final class FlagList {
    private static final Logger LOG = LoggerFactory.getLogger(FlagList.class);
    private static final long TIMEOUT_SECONDS = 30;
    private static final String HEADER = "# flags and feature gates of ";
    private static final String GATE = "gate:";
    /** A flag at the start of a help line: {@code "  -v, --v Level"} (Kubernetes) or {@code "  --name 'default'"} (etcd). */
    private static final Pattern HELP_FLAG = Pattern.compile("^ {1,8}(?:-[A-Za-z0-9], )?--([a-z0-9][a-z0-9._-]*)(?=[\\s=\\[]|$)");
    private static final List<String> UNKNOWN_FLAG = List.of("unknown flag", "flag provided but not defined");
    /** A gate in the help of {@code --feature-gates}: {@code "kube:APIResponseCompression=true|false"} or {@code "AllAlpha=true|false"}. */
    private static final Pattern GATE_REFUSED = Pattern.compile("((?:unrecognized feature gate|cannot set feature gate)[^\"\n]*)");
    private static final Pattern HELP_GATE = Pattern.compile("^\\s+(?:[a-z]+:)?([A-Z][A-Za-z0-9]*)=true\\|false");

    private final Binary binary;
    private final Path path;
    private final Set<String> names;
    private final Set<String> gates;
    private final boolean cached;

    private FlagList(Binary binary, Path path, Set<String> names, Set<String> gates, boolean cached) {
        this.binary = binary;
        this.path = path;
        this.names = Collections.unmodifiableSet(new TreeSet<>(names));
        this.gates = Collections.unmodifiableSet(new TreeSet<>(gates));
        this.cached = cached;
    }

    /**
     * The flags of {@code resolved}: from the list beside it when that is still current, else from its {@code --help}
     * (and, for a binary of polykube's cache, written beside it for the next time).
     */
    public static FlagList of(ResolvedBinary resolved) {
        Path path = resolved.path();
        Path file = cacheFile(path);
        String stamp = stamp(path);
        Optional<FlagList> fromFile = readCache(resolved.binary(), path, file, stamp);
        if (fromFile.isPresent()) {
            return fromFile.get();
        }
        long t0 = System.nanoTime();
        String help = runHelp(resolved.binary(), path);
        Set<String> parsed = parseHelp(help);
        if (parsed.isEmpty()) {
            throw new BinaryException(path + " --help lists no flags: is it really " + resolved.binary().fileName()
                    + "? Point polykube at the right file or run `./polykube setup`");
        }
        LOG.debug("{}: {} flags read from --help in {} ms", path, parsed.size(), (System.nanoTime() - t0) / 1_000_000);
        FlagList list = new FlagList(resolved.binary(), path, parsed, parseGates(help), false);
        if (inCache(resolved.source())) {
            writeCache(file, stamp, list);
        }
        return list;
    }

    /** A list parsed from {@code help}, the output of {@code binary --help} (for tests and tools). */
    public static FlagList fromHelp(Binary binary, Path path, String help) {
        return new FlagList(binary, path, parseHelp(help), parseGates(help), false);
    }

    /** The feature gate names that {@code help} lists under {@code --feature-gates}. */
    static Set<String> parseGates(String help) {
        Set<String> out = new TreeSet<>();
        for (String line : help.split("\n")) {
            Matcher m = HELP_GATE.matcher(line);
            if (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** The flag names (without dashes) that {@code help} lists. */
    static Set<String> parseHelp(String help) {
        Set<String> out = new TreeSet<>();
        for (String line : help.split("\n")) {
            Matcher m = HELP_FLAG.matcher(line);
            if (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    public Binary binary() {
        return binary;
    }

    public Path path() {
        return path;
    }

    /** Every flag name the help lists, sorted, without dashes. */
    public Set<String> names() {
        return names;
    }

    /** Whether this list came from the file beside the binary (no {@code --help} run). */
    public boolean cached() {
        return cached;
    }

    /** Every feature gate name the help lists (GA and deprecated gates are not listed), sorted. */
    public Set<String> featureGates() {
        return gates;
    }

    /** Whether the help lists {@code flag} (given without dashes). */
    public boolean knows(String flag) {
        return names.contains(flag);
    }

    /** Whether the help lists feature gate {@code gate}. */
    public boolean knowsGate(String gate) {
        return gates.contains(gate);
    }

    /** The listed flag closest to {@code flag} when one is close enough to be a likely typo, else empty. */
    public Optional<String> closest(String flag) {
        return closestOf(flag, names);
    }

    /** The listed feature gate closest to {@code gate} when one is close enough to be a likely typo, else empty. */
    public Optional<String> closestGate(String gate) {
        return closestOf(gate, gates);
    }

    private static Optional<String> closestOf(String flag, Set<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : candidates) {
            int d = distance(flag, name);
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        int allowed = Math.max(2, flag.length() / 3);
        return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /**
     * Asks the binary whether it rejects {@code --flag=value} as unknown, by running it with that flag and
     * {@code --version} (the flags are parsed, then it prints its version and exits). Use for a flag {@link #knows} says no
     * to: hidden and deprecated flags are accepted though not listed.
     */
    public boolean rejects(String flag, String value) {
        String output = run(binary, List.of(path.toString(), "--" + flag + "=" + value, "--version"), false);
        String lower = output.toLowerCase(java.util.Locale.ROOT);
        return UNKNOWN_FLAG.stream().anyMatch(lower::contains);
    }

    /**
     * Like {@link #rejects}, for {@code --feature-gates=<gate>=<enabled>}: what the binary says when it refuses the setting
     * (an unrecognized gate, a gate locked to the other value), else empty.
     */
    public Optional<String> gateProblem(String gate, boolean enabled) {
        String output = run(binary, List.of(path.toString(), "--feature-gates=" + gate + "=" + enabled, "--version"), false);
        Matcher m = GATE_REFUSED.matcher(output);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static boolean inCache(Source source) {
        return source == Source.CACHE || source == Source.BUILT || source == Source.DOWNLOADED;
    }

    static Path cacheFile(Path binary) {
        return binary.resolveSibling("." + binary.getFileName() + ".flags");
    }

    /** Size, inode and change time of the binary: a rebuilt or replaced binary gets a new list. */
    private static String stamp(Path binary) {
        try {
            Map<String, Object> attrs = Files.readAttributes(binary, "unix:size,ino,ctime");
            return binary.getFileName() + " size=" + attrs.get("size") + " ino=" + attrs.get("ino") + " ctime=" + attrs.get("ctime");
        } catch (IOException | UnsupportedOperationException e) {
            return binary.getFileName() + " unstamped";
        }
    }

    private static Optional<FlagList> readCache(Binary binary, Path path, Path file, String stamp) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(file);
            if (lines.isEmpty() || !lines.get(0).equals(HEADER + stamp) || lines.size() < 2) {
                return Optional.empty();
            }
            Set<String> names = new TreeSet<>();
            Set<String> gates = new TreeSet<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.startsWith(GATE)) {
                    gates.add(line.substring(GATE.length()));
                } else {
                    names.add(line);
                }
            }
            return Optional.of(new FlagList(binary, path, names, gates, true));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void writeCache(Path file, String stamp, FlagList list) {
        List<String> lines = new ArrayList<>();
        lines.add(HEADER + stamp);
        lines.addAll(list.names);
        list.gates.forEach(g -> lines.add(GATE + g));
        try {
            AtomicFile.at(file).permissions(AtomicFile.WORLD_READABLE).write(String.join("\n", lines) + "\n");
        } catch (IOException e) {
            LOG.debug("cannot keep the flag list beside {}: {}", file, e.toString()); // next start reads --help again
        }
    }

    private static String runHelp(Binary binary, Path path) {
        return run(binary, List.of(path.toString(), "--help"), true);
    }

    private static String run(Binary binary, List<String> command, boolean mustSucceed) {
        BoundedCommand.Outcome outcome;
        try {
            outcome = BoundedCommand.of(command).timeout(Duration.ofSeconds(TIMEOUT_SECONDS)).outputLimit(1024 * 1024).run();
        } catch (IOException e) {
            throw new BinaryException("cannot run " + String.join(" ", command) + ": " + e.getMessage()
                    + " (is it an executable for this machine?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BinaryException("interrupted while running " + String.join(" ", command), e);
        }
        if (outcome.timedOut()) {
            throw new BinaryException(outcome.commandLine() + " did not finish within " + TIMEOUT_SECONDS
                    + " s: is it really " + binary.fileName() + "?");
        }
        if (mustSucceed && outcome.exitCode() != 0) {
            throw new BinaryException(outcome.commandLine() + " failed with exit code " + outcome.exitCode()
                    + ": is it a " + binary.fileName() + " for this machine? Run `./polykube setup`");
        }
        return outcome.output();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
