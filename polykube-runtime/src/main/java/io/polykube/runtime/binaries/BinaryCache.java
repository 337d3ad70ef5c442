package io.polykube.runtime.binaries;

import io.polykube.files.AtomicFile;
import io.polykube.files.LockFile;
import io.polykube.files.TreeDeletion;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * polykube's binary cache: {@code <root>/bin/kubernetes-v<ver>/}, {@code <root>/bin/etcd-v<ver>/},
 * {@code <root>/bin/pause-1/}, each with a {@link Manifest}. The root is {@code $POLYKUBE_CACHE_DIR}
 * or {@code ~/.cache/polykube}.
 *
 * <p>A set is valid only if its manifest exists and every file matches its SHA-256; anything else
 * is corrupt and never used. Sets are written atomically: populated in a temporary directory next
 * to the target and renamed into place, under a file lock so two processes do not build the same
 * set at once. An interrupted build leaves only a temporary directory, removed by the next one.
 */
public final class BinaryCache {
    /** Written in a set directory after its files were hashed and found valid. */
    static final String VERIFIED_STAMP = ".verified";

    /** Environment variable that overrides the cache root. */
    public static final String CACHE_DIR_ENV = "POLYKUBE_CACHE_DIR";

    private static final Logger LOG = LoggerFactory.getLogger(BinaryCache.class);
    private static final String TMP_MARK = ".tmp-";

    /** The state of a set in the cache. */
    public enum State { VALID, MISSING, CORRUPT }

    /**
     * Result of {@link #check}.
     *
     * @param state   valid, missing or corrupt
     * @param dir     the set directory
     * @param problem why it is corrupt (or missing); {@code null} when valid
     */
    public record Check(State state, Path dir, String problem) {
    }

    /** Fills a temporary set directory with the set's files and says how they were made. */
    @FunctionalInterface
    public interface Populator {
        Provenance populate(Path tempDir) throws IOException;
    }

    private final Path root;

    public BinaryCache(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    /** The cache at {@code $POLYKUBE_CACHE_DIR}, else {@code ~/.cache/polykube}. */
    public static BinaryCache defaultCache() {
        return new BinaryCache(defaultRoot(System.getenv()));
    }

    static Path defaultRoot(Map<String, String> env) {
        String dir = env.get(CACHE_DIR_ENV);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "polykube");
    }

    public Path root() {
        return root;
    }

    /** {@code <root>/bin}. */
    public Path binDir() {
        return root.resolve("bin");
    }

    /** {@code <root>/bin/build-logs}: the output of Go builds. */
    public Path buildLogDir() {
        return binDir().resolve("build-logs");
    }

    /** The directory of {@code set} at {@code version}, whether it exists or not. */
    public Path setDir(BinarySet set, String version) {
        return binDir().resolve(set.dirName(version));
    }

    /** A new log file name for a build of {@code set} (the directory is created). */
    public Path newBuildLog(BinarySet set, String version) throws IOException {
        Files.createDirectories(buildLogDir());
        String stamp = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .replace(":", "");
        return buildLogDir().resolve(set.dirName(version) + "-" + stamp + ".log");
    }

    /** Checks the set against its manifest (hashes every file). Never modifies the cache. */
    public Check check(BinarySet set, String version) {
        Path dir = setDir(set, version);
        if (!Files.exists(dir)) {
            return new Check(State.MISSING, dir, "not in the cache");
        }
        Path manifestFile = dir.resolve(Manifest.FILE_NAME);
        if (!Files.isRegularFile(manifestFile)) {
            return new Check(State.CORRUPT, dir, "no " + Manifest.FILE_NAME);
        }
        try {
            Manifest manifest = Manifest.read(manifestFile);
            Path stampFile = dir.resolve(VERIFIED_STAMP);
            String stamp = fileStamp(dir, manifest);
            if (stamp.equals(readQuietly(stampFile))) {
                return new Check(State.VALID, dir, null); // hashed before, and no file changed since (ctime, inode, size)
            }
            List<String> problems = manifest.verify(dir, set, version);
            if (problems.isEmpty()) {
                Files.writeString(stampFile, stamp);
                return new Check(State.VALID, dir, null);
            }
            Files.deleteIfExists(stampFile);
            return new Check(State.CORRUPT, dir, String.join("; ", problems));
        } catch (BinaryException e) {
            return new Check(State.CORRUPT, dir, e.getMessage());
        } catch (IOException e) {
            return new Check(State.CORRUPT, dir, "cannot read: " + e);
        }
    }

    /**
     * What identifies the set's files as they were when last hashed: name, size, inode and change time (ctime changes on
     * every write and cannot be set back by {@code touch}), so a valid set is not hashed again at every resolve.
     */
    private static String fileStamp(Path dir, Manifest manifest) throws IOException {
        StringBuilder out = new StringBuilder();
        for (String name : new java.util.TreeSet<>(manifest.files().keySet())) {
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                return "missing " + name;
            }
            Map<String, Object> attrs = Files.readAttributes(file, "unix:size,ino,ctime");
            out.append(name).append(' ').append(attrs.get("size")).append(' ').append(attrs.get("ino")).append(' ')
                    .append(attrs.get("ctime")).append(' ').append(manifest.files().get(name)).append('\n');
        }
        return out.toString();
    }

    private static String readQuietly(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The set's directory if it is valid. A corrupt entry is deleted (and logged) and
     * {@code Optional.empty()} returned, so it is never used.
     */
    public Optional<Path> validSet(BinarySet set, String version) {
        Check check = check(set, version);
        if (check.state() == State.VALID) {
            return Optional.of(check.dir());
        }
        if (check.state() == State.CORRUPT) {
            LOG.warn("cache entry {} is corrupt ({}); deleting it", check.dir(), check.problem());
            delete(set, version);
        }
        return Optional.empty();
    }

    /** The manifest of a valid set, if present (does not verify). */
    public Optional<Manifest> manifest(BinarySet set, String version) {
        Path file = setDir(set, version).resolve(Manifest.FILE_NAME);
        return Files.isRegularFile(file) ? Optional.of(Manifest.read(file)) : Optional.empty();
    }

    /** Removes the set's directory, if any. */
    public void delete(BinarySet set, String version) {
        deleteTree(setDir(set, version));
    }

    /**
     * Puts this cache's valid {@code set} at {@code version} into {@code view} as hard links (no copy; both caches must be
     * on one file system), replacing what {@code view} held of it. A cache made this way holds only what it is given: a
     * test run against it cannot rely on anything else this cache holds (the sets only {@code conformance} builds, say).
     *
     * @throws BinaryException if the set is not valid here, or the links cannot be made
     */
    public void linkInto(BinaryCache view, BinarySet set, String version) {
        Check check = check(set, version);
        if (check.state() != State.VALID) {
            throw new BinaryException(set.describe(version) + " is " + check.state().name().toLowerCase(java.util.Locale.ROOT)
                    + " in " + root + " (" + check.problem() + "): run ./polykube setup first");
        }
        Path target = view.setDir(set, version);
        try {
            deleteTree(target);
            Files.createDirectories(target);
            Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(check.dir()));
            try (var files = Files.list(check.dir())) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (!file.getFileName().toString().equals(VERIFIED_STAMP)
                            && Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createLink(target.resolve(file.getFileName()), file);
                    }
                }
            }
            // A new link changes the files' ctime: both stamps are written again (the contents were verified above).
            String stamp = fileStamp(check.dir(), Manifest.read(check.dir().resolve(Manifest.FILE_NAME)));
            Files.writeString(check.dir().resolve(VERIFIED_STAMP), stamp);
            Files.writeString(target.resolve(VERIFIED_STAMP), stamp);
        } catch (IOException e) {
            throw new BinaryException("cannot link " + set.describe(version) + " from " + check.dir() + " into " + target + ": "
                    + e + " (the view must be on the same file system as the cache)", e);
        }
    }

    /**
     * Makes sure the set is in the cache: returns its directory if valid; otherwise deletes a
     * corrupt entry, runs {@code populator} on a fresh temporary directory next to the target,
     * writes the manifest and renames the directory into place. If {@code populator} fails, nothing
     * is left behind.
     */
    public Path ensure(BinarySet set, String version, Populator populator) {
        Path target = setDir(set, version);
        try {
            Files.createDirectories(binDir());
        } catch (IOException e) {
            throw new BinaryException("cannot create the cache directory " + binDir() + ": " + e.getMessage()
                    + " (set POLYKUBE_CACHE_DIR to a writable directory)", e);
        }
        Path lockFile = binDir().resolve("." + set.dirName(version) + ".lock");
        try (LockFile lock = acquire(lockFile)) {
            return ensureLocked(set, version, populator, target);
        } catch (IOException e) {
            throw new BinaryException("cannot write " + set.describe(version) + " into the cache " + target + ": " + e,
                    e);
        }
    }

    private Path ensureLocked(BinarySet set, String version, Populator populator, Path target) throws IOException {
        Check check = check(set, version);
        if (check.state() == State.VALID) {
            return target;
        }
        if (check.state() == State.CORRUPT) {
            LOG.warn("cache entry {} is corrupt ({}); deleting and rebuilding it", target, check.problem());
            deleteTree(target);
        }
        removeStaleTempDirs(set, version);
        Path temp = Files.createTempDirectory(binDir(), "." + set.dirName(version) + TMP_MARK);
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            Provenance provenance = populator.populate(temp);
            writeManifest(temp, set, version, provenance);
            AtomicFile.rename(temp, target);
            LOG.info("cached {} in {}", set.describe(version), target);
            return target;
        } finally {
            deleteTree(temp);
        }
    }

    /** The set's lock, waiting up to 2 hours for another build (in this JVM or another process) that holds it. */
    private static LockFile acquire(Path lockFile) throws IOException {
        Optional<LockFile> lock = LockFile.tryLock(lockFile);
        if (lock.isPresent()) {
            return lock.get();
        }
        LOG.info("waiting for another build that holds {}", lockFile);
        try {
            return LockFile.lock(lockFile, Duration.ofHours(2)).orElseThrow(() -> new BinaryException(
                    "gave up waiting for the cache lock " + lockFile + " after 2 hours: is a build stuck? Stop it, or delete "
                    + "the lock file if no build is running"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BinaryException("interrupted while waiting for the cache lock " + lockFile, e);
        }
    }

    private void writeManifest(Path dir, BinarySet set, String version, Provenance provenance) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        for (Binary binary : set.binaries()) {
            Path file = dir.resolve(binary.fileName());
            if (!Files.isRegularFile(file)) {
                throw new BinaryException("producing " + set.describe(version) + " did not yield " + binary.fileName()
                        + " (found: " + list(dir) + ")");
            }
            if (!Files.isExecutable(file) && !file.toFile().setExecutable(true, false)) {
                throw new BinaryException("cannot make " + file + " executable");
            }
            files.put(binary.fileName(), Sha256.of(file));
        }
        Manifest manifest = new Manifest(set.id(), version, provenance.goVersion(),
                DateTimeFormatter.ISO_INSTANT.format(provenance.buildDate().truncatedTo(ChronoUnit.SECONDS)),
                provenance.source(), files);
        manifest.write(dir.resolve(Manifest.FILE_NAME));
    }

    private void removeStaleTempDirs(BinarySet set, String version) throws IOException {
        // we hold the set's lock, so any temporary directory of this set is left over from an interrupted run
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(binDir(), "." + set.dirName(version) + TMP_MARK + "*")) {
            for (Path stale : stream) {
                LOG.info("removing {} left over by an interrupted build", stale);
                deleteTree(stale);
            }
        }
    }

    private static String list(Path dir) {
        try (var stream = Files.list(dir)) {
            return stream.map(p -> p.getFileName().toString()).sorted().toList().toString();
        } catch (IOException e) {
            return "?";
        }
    }

    /** Deletes {@code path} and everything under it, never following a link out of it nor entering a mount point. */
    static void deleteTree(Path path) {
        try {
            TreeDeletion.delete(path);
        } catch (IOException e) {
            throw new BinaryException("cannot delete " + path + ": " + e.getMessage(), e);
        }
    }
}
