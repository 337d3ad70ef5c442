package io.polykube.conformance;

import io.polykube.api.error.PolykubeException;
import io.polykube.files.AtomicFile;
import io.polykube.files.TreeDeletion;
import java.io.File;
import io.polykube.runtime.command.BoundedCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A static busybox built from upstream's source, for the busybox test image: the upstream tarball ({@code *.orig.tar.*})
 * of the host's Debian {@code busybox} source package, WITHOUT Debian's patches. Debian's busybox reverts upstream's
 * change that lets ash keep environment variables whose names are not identifiers (the Secret and ConfigMap tests run
 * {@code sh -c env} to see {@code 1-data-1} and the like); upstream's ash keeps them and prints its own error messages
 * ({@code /bin/sh: can't create /file: Read-only file system}), which the read-only root file system test expects.
 *
 * <p>The source comes with {@code apt-get source --download-only busybox} under a private apt configuration in a temporary
 * directory: {@code deb-src} entries derived from the host's own {@code deb} entries (same archives, suites, keys; apt
 * checks the tarball against the signed index). The system's apt configuration and lists are never touched. Built once
 * ({@code make defconfig}, {@code CONFIG_STATIC=y}) into {@code <binary cache>/busybox-v<upstream version>/busybox}.
 */
final class UpstreamBusybox {
    static final String FILE = "busybox";
    static final String SOURCE_PACKAGE = "busybox";
    /** {@code busybox_1.35.0.orig.tar.bz2} gives {@code 1.35.0}. */
    static final Pattern ORIG_TARBALL = Pattern.compile("busybox_(\\d+(?:\\.\\d+)+)\\.orig\\.tar\\.(?:bz2|gz|xz)");
    private static final Pattern CACHED = Pattern.compile("busybox-v(\\d+(?:\\.\\d+)+)");
    static final String FIX = "install make gcc libc6-dev bzip2 (./polykube setup), or skip the busybox tests";
    private static final long STEP_MINUTES = 20;
    private static final Path APT_ETC = Path.of("/etc/apt");

    private final Path binDir;
    private final Path aptEtc;

    /** @param binDir the binary cache's {@code bin} directory */
    UpstreamBusybox(Path binDir) {
        this(binDir, APT_ETC);
    }

    UpstreamBusybox(Path binDir, Path aptEtc) {
        this.binDir = Objects.requireNonNull(binDir, "binDir");
        this.aptEtc = Objects.requireNonNull(aptEtc, "aptEtc");
    }

    /** The cached build of the highest upstream version, if there is one. */
    Optional<Path> cached() {
        if (!Files.isDirectory(binDir)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(binDir)) {
            return dirs.map(d -> CACHED.matcher(d.getFileName().toString())).filter(Matcher::matches)
                    .filter(m -> Files.isExecutable(binDir.resolve(m.group()).resolve(FILE)))
                    .max(Comparator.comparing(m -> versionKey(m.group(1))))
                    .map(m -> binDir.resolve(m.group()).resolve(FILE));
        } catch (IOException e) {
            throw new PolykubeException("cannot list the binary cache " + binDir + ": " + e.getMessage(), e);
        }
    }

    /** {@code 1.35.0} as a zero-padded string that sorts like the version. */
    static String versionKey(String version) {
        StringBuilder key = new StringBuilder();
        for (String part : version.split("\\.")) {
            key.append(String.format("%08d.", Integer.parseInt(part)));
        }
        return key.toString();
    }

    /** The upstream version of an orig tarball's file name, e.g. {@code busybox_1.35.0.orig.tar.bz2}. */
    static Optional<String> upstreamVersion(String fileName) {
        Matcher m = ORIG_TARBALL.matcher(fileName);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The cached binary, downloaded and built first when missing (a minute or two; {@code say} hears what happens). */
    Path resolve(Consumer<String> say) {
        Optional<Path> cached = cached();
        if (cached.isPresent()) {
            return cached.get();
        }
        checkTools();
        long t0 = System.nanoTime();
        Path log = binDir.resolve("build-logs").resolve(FILE + "-upstream.log");
        say.accept("building busybox from upstream source (the host's Debian source package without its patches; once; "
                + "log " + log + ")");
        try {
            Files.createDirectories(log.getParent());
            Files.deleteIfExists(log);
            Path tmp = Files.createTempDirectory(binDir, ".tmp-" + FILE + "-");
            try {
                Path tarball = download(tmp, log);
                String version = upstreamVersion(tarball.getFileName().toString()).orElseThrow();
                Path binary = binDir.resolve(FILE + "-v" + version).resolve(FILE);
                Path built = build(tmp, tarball, version, log);
                verify(built, log);
                Files.createDirectories(binary.getParent());
                AtomicFile.rename(built, binary);
                say.accept("built " + binary + " (upstream " + version + ", static) in "
                        + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) + " s");
                return binary;
            } finally {
                TreeDeletion.delete(tmp);
            }
        } catch (IOException e) {
            throw new PolykubeException("cannot build busybox into " + binDir + ": " + e.getMessage(), e);
        }
    }

    /** apt-get update and apt-get source under a private configuration; returns the orig tarball. */
    private Path download(Path tmp, Path log) throws IOException {
        Path etc = Files.createDirectories(tmp.resolve("apt/etc/sources.list.d"));
        writeSourceEntries(etc);
        Path empty = Files.writeString(tmp.resolve("apt/etc/sources.list"), "");
        Path lists = Files.createDirectories(tmp.resolve("apt/lists/partial"));
        Path cache = Files.createDirectories(tmp.resolve("apt/cache/archives/partial"));
        Path src = Files.createDirectories(tmp.resolve("src"));
        List<String> apt = List.of("apt-get", "-q",
                "-o", "Dir::Etc::sourcelist=" + empty,
                "-o", "Dir::Etc::sourceparts=" + etc,
                "-o", "Dir::State::Lists=" + lists.getParent(),
                "-o", "Dir::Cache=" + cache.getParent().getParent(),
                "-o", "APT::Sandbox::User=" + System.getProperty("user.name"));
        List<String> update = new ArrayList<>(apt);
        update.add("update");
        run(update, tmp, log, "apt-get update (private lists of deb-src entries derived from the host's)");
        List<String> source = new ArrayList<>(apt);
        source.addAll(List.of("source", "--download-only", SOURCE_PACKAGE));
        run(source, src, log, "apt-get source --download-only " + SOURCE_PACKAGE);
        try (Stream<Path> files = Files.list(src)) {
            return files.filter(f -> upstreamVersion(f.getFileName().toString()).isPresent()).findFirst()
                    .orElseThrow(() -> new PolykubeException("apt-get source " + SOURCE_PACKAGE + " brought no upstream tarball "
                            + "(busybox_<version>.orig.tar.*): see " + log));
        }
    }

    /**
     * Writes the deb-src counterparts of the host's entries into {@code dir} ({@code host-<name>}; only {@code *.list} and
     * {@code *.sources} files count, as for apt); returns how many files were written.
     *
     * @throws PolykubeException if the host has no {@code deb} entry
     */
    int writeSourceEntries(Path dir) throws IOException {
        int written = 0;
        Path list = aptEtc.resolve("sources.list");
        if (Files.isRegularFile(list)) {
            written += write(dir.resolve("host-sources.list"), DebSourceEntries.fromOneLine(Files.readString(list)));
        }
        Path parts = aptEtc.resolve("sources.list.d");
        if (Files.isDirectory(parts)) {
            try (Stream<Path> files = Files.list(parts)) {
                for (Path f : files.sorted().toList()) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".list")) {
                        written += write(dir.resolve("host-" + name), DebSourceEntries.fromOneLine(Files.readString(f)));
                    } else if (name.endsWith(".sources")) {
                        written += write(dir.resolve("host-" + name), DebSourceEntries.fromDeb822(Files.readString(f)));
                    }
                }
            }
        }
        if (written == 0) {
            throw new PolykubeException("no 'deb' entry in " + list + " or " + parts + ": the busybox source package is fetched "
                    + "from the archives the host installs from. Configure apt, or skip the busybox tests");
        }
        return written;
    }

    private static int write(Path file, String text) throws IOException {
        if (text.isBlank()) {
            return 0;
        }
        Files.writeString(file, text);
        return 1;
    }

    /** Extracts the upstream tarball only, configures a static defconfig build, runs make; returns the binary. */
    private Path build(Path tmp, Path tarball, String version, Path log) throws IOException {
        Path work = Files.createDirectories(tmp.resolve("build"));
        run(List.of("tar", "-xaf", tarball.toString(), "-C", work.toString()), work, log, "tar -xaf " + tarball.getFileName());
        Path tree = work.resolve("busybox-" + version);
        if (!Files.isDirectory(tree)) {
            throw new PolykubeException(tarball.getFileName() + " did not unpack to busybox-" + version + ": see " + log);
        }
        run(List.of("make", "defconfig"), tree, log, "make defconfig");
        Path config = tree.resolve(".config");
        Files.writeString(config, staticConfig(Files.readString(config)));
        run(List.of("make", "oldconfig"), tree, log, "make oldconfig");
        if (!Files.readString(config).contains("\nCONFIG_STATIC=y\n")) {
            throw new PolykubeException("busybox's configuration did not keep CONFIG_STATIC=y: see " + log);
        }
        int jobs = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        run(List.of("make", "-j" + jobs), tree, log, "make -j" + jobs);
        Path binary = tree.resolve("busybox");
        if (!Files.isExecutable(binary)) {
            throw new PolykubeException("make left no busybox binary in " + tree + ": see " + log);
        }
        return binary;
    }

    /** A defconfig with {@code CONFIG_STATIC=y} (and no PIE, which a static glibc link does not want). */
    static String staticConfig(String config) {
        return config.replace("# CONFIG_STATIC is not set", "CONFIG_STATIC=y").replace("CONFIG_PIE=y", "# CONFIG_PIE is not set");
    }

    /** The whole point of the build, checked at once: ash keeps an environment variable whose name is not an identifier. */
    private static void verify(Path busybox, Path log) throws IOException {
        BoundedCommand.Outcome env;
        try {
            env = BoundedCommand.of(busybox.toString(), "sh", "-c", "env").environment(vars -> {
                vars.clear();
                vars.put("1-data-1", "kept");
            }).timeout(Duration.ofMinutes(1)).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolykubeException("interrupted while checking the busybox built from source", e);
        }
        if (!env.succeeded() || !env.output().contains("1-data-1=kept")) {
            throw new PolykubeException("the busybox built from source does not keep the environment variable '1-data-1' in "
                    + "'sh -c env' (" + env.describeEnd() + ", output: " + env.output().strip() + "): its source is not upstream's. "
                    + "Build log: " + log);
        }
    }

    /** apt-get, tar (with bzip2), make, gcc and glibc's static archive, each with its fix. */
    static void checkTools() {
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("apt-get", "tar", "bzip2", "make", "gcc")) {
            if (onPath(tool).isEmpty()) {
                missing.add(tool);
            }
        }
        if (missing.isEmpty() && !staticLibcPresent()) {
            missing.add("libc.a (glibc's static archive, in libc6-dev)");
        }
        if (!missing.isEmpty()) {
            throw new PolykubeException("building busybox from upstream source for the busybox test image needs "
                    + String.join(", ", missing) + ": " + FIX);
        }
    }

    private static Optional<Path> onPath(String tool) {
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isBlank() && Files.isExecutable(Path.of(dir, tool))) {
                return Optional.of(Path.of(dir, tool));
            }
        }
        return Optional.empty();
    }

    /** {@code gcc -print-file-name=libc.a} answers with an absolute path only when the archive exists. */
    private static boolean staticLibcPresent() {
        try {
            BoundedCommand.Outcome gcc = BoundedCommand.of("gcc", "-print-file-name=libc.a").timeout(Duration.ofMinutes(1)).run();
            String out = gcc.output().strip();
            return gcc.succeeded() && out.startsWith("/") && Files.isRegularFile(Path.of(out));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolykubeException("interrupted while looking for libc.a", e);
        }
    }

    /** Runs one step with its output appended to the log; a failure shows the log's last lines. */
    private static void run(List<String> command, Path dir, Path log, String what) {
        try {
            Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            p.getOutputStream().close();
            if (!p.waitFor(STEP_MINUTES, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new PolykubeException(what + " did not finish in " + STEP_MINUTES + " minutes: see " + log);
            }
            if (p.exitValue() != 0) {
                throw new PolykubeException(what + " failed (exit " + p.exitValue() + "):\n" + tail(log) + "\nFull log: " + log
                        + ". Fix the cause (" + FIX + "), then run again");
            }
        } catch (IOException e) {
            throw new PolykubeException("cannot run " + what + ": " + e.getMessage() + ". " + FIX, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolykubeException("interrupted during " + what, e);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
