package io.polykube.pki;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files atomically with exact permissions: the content goes to a 0600 temporary file in
 * the same directory, is (when durable) forced to disk, gets its final mode, and is renamed over
 * the target. A crash leaves either the old file or the new one, never half a key.
 */
final class SecureFiles {

    static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

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
        Path dir = target.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PRIVATE));
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                if (durable) {
                    channel.force(true);
                }
            }
            Files.setPosixFilePermissions(tmp, permissions);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (AccessDeniedException e) {
            throw new PkiException("Cannot write " + target + ": permission denied on " + e.getFile()
                    + "; choose a directory this user can write", e);
        } catch (IOException | UnsupportedOperationException e) {
            throw new PkiException("Cannot write " + target + ": " + e + "; check that " + dir
                    + " is a writable directory on a POSIX file system", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is what matters
                }
            }
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
