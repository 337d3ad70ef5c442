package io.polykube.config.internal;

import io.polykube.config.ConfigException;
import io.polykube.files.AtomicFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Atomic file writes with explicit permissions ({@link AtomicFile}), failing with a {@link ConfigException}. Not public API. */
public final class ConfigFiles {
    /** rw------- for files that may hold secrets (kubeconfigs). */
    public static final Set<PosixFilePermission> PRIVATE = AtomicFile.OWNER_ONLY;
    /** rw-r--r-- for plain configuration. */
    public static final Set<PosixFilePermission> PUBLIC = AtomicFile.WORLD_READABLE;

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
        try {
            return AtomicFile.at(file).permissions(permissions).createParents(true).write(content);
        } catch (FileAlreadyExistsException e) {
            throw new ConfigException(file.toString(), "cannot write: a directory or file is in the way", e);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot write the file", e);
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
