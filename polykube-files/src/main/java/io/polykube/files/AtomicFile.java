package io.polykube.files;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file's content in one step: the content goes to a new hidden file in the target's directory
 * ({@code .<name>.<random>.tmp}), which is then renamed over the target, so a reader sees the old file or the new one,
 * never half of one, and a failed write leaves the target as it was. Immutable:
 * {@code AtomicFile.at(key).permissions(OWNER_ONLY).durable(true).write(pem)}.
 *
 * <p>With {@link #permissions(Set)} the temporary file is created with those permissions (never wider, whatever the umask)
 * and gets exactly them before any content is written, so a private key is never readable by others, not even briefly.
 * Without, it gets the permissions of any new file ({@code 0666} less the umask).
 */
public final class AtomicFile {
    /** {@code rw-------}: for files that hold secrets. */
    public static final Set<PosixFilePermission> OWNER_ONLY = Set.copyOf(PosixFilePermissions.fromString("rw-------"));
    /** {@code rw-r--r--}: for files everyone may read. */
    public static final Set<PosixFilePermission> WORLD_READABLE = Set.copyOf(PosixFilePermissions.fromString("rw-r--r--"));

    /** Writes the content to the stream it is given; closing that stream is allowed and does nothing. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final int MAX_NAME = 200;

    private final Path target;
    private final Set<PosixFilePermission> permissions;
    private final boolean durable;
    private final boolean createParents;

    private AtomicFile(Path target, Set<PosixFilePermission> permissions, boolean durable, boolean createParents) {
        this.target = target;
        this.permissions = permissions;
        this.durable = durable;
        this.createParents = createParents;
    }

    /** An atomic write of {@code target}: no explicit permissions, not durable, parent directories must exist. */
    public static AtomicFile at(Path target) {
        Path file = Objects.requireNonNull(target, "target").toAbsolutePath();
        if (file.getFileName() == null) {
            throw new IllegalArgumentException("cannot write the root directory as a file: give a file path");
        }
        return new AtomicFile(file, null, false, false);
    }

    /** The same write with exactly these permissions (set on the temporary file before the content is written). */
    public AtomicFile permissions(Set<PosixFilePermission> permissions) {
        return new AtomicFile(target, Set.copyOf(permissions), durable, createParents);
    }

    /**
     * The same write, forced to disk before the rename when {@code durable} (a few ms a file): after a power loss the
     * target then holds the old content or the new, never an empty file. Without, the write is still atomic for readers
     * and against a crash of this process.
     */
    public AtomicFile durable(boolean durable) {
        return new AtomicFile(target, permissions, durable, createParents);
    }

    /** The same write, creating missing parent directories first when {@code createParents}. */
    public AtomicFile createParents(boolean createParents) {
        return new AtomicFile(target, permissions, durable, createParents);
    }

    /** The absolute path of the file this writes. */
    public Path target() {
        return target;
    }

    /** The permissions the file gets, if set. */
    public Optional<Set<PosixFilePermission>> permissions() {
        return Optional.ofNullable(permissions);
    }

    /** Writes {@code content} as UTF-8; returns the target. */
    public Path write(String content) throws IOException {
        return write(content.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code content}; returns the target. */
    public Path write(byte[] content) throws IOException {
        return write(out -> out.write(content));
    }

    /**
     * Writes what {@code content} writes to the stream it is given (an archive, a serialiser); returns the target. When
     * {@code content} throws, the target is left as it was and the temporary file is removed.
     */
    public Path write(Content content) throws IOException {
        Path dir = target.getParent();
        if (createParents) {
            Files.createDirectories(dir);
        }
        Path tmp = createTemporary(dir);
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                content.writeTo(new KeepOpen(buffered));
                buffered.flush();
                if (durable) {
                    channel.force(true);
                }
            }
            rename(tmp, target);
            tmp = null;
            return target;
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    /**
     * Renames {@code source} over {@code target} in one step (a file or a directory; an existing file is replaced), so
     * that {@code target} appears complete or not at all. Both must be on one file system, best in one directory.
     *
     * @throws AtomicMoveNotSupportedException saying so, when the file system cannot rename them in one step
     */
    public static void rename(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new AtomicMoveNotSupportedException(source.toString(), target.toString(), "cannot rename in one step ("
                    + e.getReason() + "): both must be on one local file system; keep the temporary file beside the target");
        }
    }

    /** Creates the empty temporary file beside the target, with the permissions it must have before any content. */
    private Path createTemporary(Path dir) throws IOException {
        String name = target.getFileName().toString();
        String stem = "." + (name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name) + ".";
        FileAttribute<?>[] attributes = permissions == null ? new FileAttribute<?>[0]
                : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)};
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve(stem + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                Files.newByteChannel(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes).close();
            } catch (FileAlreadyExistsException e) {
                if (attempt < 100) {
                    continue;
                }
                throw e;
            } catch (UnsupportedOperationException e) {
                throw new IOException("cannot write " + target + " with permissions "
                        + PosixFilePermissions.toString(permissions) + ": its file system has no POSIX permissions; "
                        + "choose a directory on a POSIX file system", e);
            }
            try {
                if (permissions != null) {
                    Files.setPosixFilePermissions(tmp, permissions); // the umask may have narrowed them
                }
                return tmp;
            } catch (IOException | RuntimeException e) {
                deleteQuietly(tmp);
                throw e;
            }
        }
    }

    private static void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // the failure that brought us here is what matters; the file is hidden and named after its target
        }
    }

    /** Hands the content writer a stream it may close without closing the file before it is forced and renamed. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    @Override
    public String toString() {
        return "AtomicFile[" + target + (permissions == null ? "" : ", " + PosixFilePermissions.toString(permissions))
                + (durable ? ", durable" : "") + "]";
    }
}
