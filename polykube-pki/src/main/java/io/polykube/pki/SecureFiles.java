package io.polykube.pki;

import io.polykube.files.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files atomically with exact permissions ({@link AtomicFile}): the content goes to a temporary file in the same
 * directory that has its final mode before the content, is (when durable) forced to disk, and is renamed over the
 * target. A crash leaves either the old file or the new one, never half a key.
 */
final class SecureFiles {

    static final Set<PosixFilePermission> PRIVATE = AtomicFile.OWNER_ONLY;
    static final Set<PosixFilePermission> PUBLIC = AtomicFile.WORLD_READABLE;

    private SecureFiles() {
    }

    /** Writes durably: the content is on disk before the rename. */
    static void write(Path file, String content, Set<PosixFilePermission> permissions) {
        write(file, content, permissions, true);
    }

    /**
     * With {@code durable} false the fsync is skipped (about 4 ms per file on this machine's
     * disk): still atomic against a process crash; after a power loss the file may be empty, so
     * use it only for files a reader verifies and can re-create.
     */
    static void write(Path file, String content, Set<PosixFilePermission> permissions, boolean durable) {
        Path target = file.toAbsolutePath();
        try {
            AtomicFile.at(target).permissions(permissions).durable(durable).createParents(true)
                    .write(content.getBytes(StandardCharsets.US_ASCII));
        } catch (AccessDeniedException e) {
            throw new PkiException("Cannot write " + target + ": permission denied on " + e.getFile()
                    + "; choose a directory this user can write", e);
        } catch (IOException | UnsupportedOperationException e) {
            throw new PkiException("Cannot write " + target + ": " + e + "; check that " + target.getParent()
                    + " is a writable directory on a POSIX file system", e);
        }
    }

    /** Fails with a clear message unless {@code dir} is (or can be created as) a writable directory. */
    static void requireWritableDirectory(Path dir) {
        Path abs = dir.toAbsolutePath();
        try {
            Files.createDirectories(abs);
            Path probe = Files.createTempFile(abs, ".write-probe", ".tmp", PosixFilePermissions.asFileAttribute(PRIVATE));
            Files.delete(probe);
        } catch (IOException | UnsupportedOperationException e) {
            throw new PkiException("PKI directory " + abs + " is not writable (" + e
                    + "): choose a directory this user can create and write, on a POSIX file system", e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new PkiException("Cannot read " + file.toAbsolutePath() + ": " + e
                    + "; check that it exists and is readable", e);
        }
    }
}
