package io.polykube.config.internal;

import io.polykube.config.ConfigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Atomic file writes with explicit permissions. Not public API. */
public final class ConfigFiles {
    /** rw------- for files that may hold secrets (kubeconfigs). */
    public static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    /** rw-r--r-- for plain configuration. */
    public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private ConfigFiles() {
    }

    /**
     * Writes {@code content} to a temporary file in the target's directory with {@code permissions}
     * from the start, then renames it over {@code target}, so readers see the old or the new file,
     * never half of one. Creates missing parent directories.
     */
    public static Path writeAtomically(Path target, String content, Set<PosixFilePermission> permissions) {
        Check.absolute("file", target.toAbsolutePath());
        Path file = target.toAbsolutePath().normalize();
        Path dir = file.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(permissions));
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(tmp, permissions); // umask may have narrowed them
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            return file;
        } catch (FileAlreadyExistsException e) {
            throw new ConfigException(file.toString(), "cannot write: a directory or file is in the way", e);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot write the file", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is hidden and named after the target
                }
            }
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot read the file", e);
        }
    }
}
